#!/usr/bin/env python3
"""Generates the expected outputs for edgebox's chat template tests with real Jinja2.

The environment mirrors Hugging Face transformers' chat template rendering
(transformers/utils/chat_template_utils.py, _compile_jinja_template and render_jinja_template):
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with the loopcontrols extension
and a {% generation %} block tag, a json.dumps-based tojson filter, and the globals raise_exception
and strftime_now. strftime_now reads a fixed instant so the outputs are reproducible.

Run from this directory with jinja2 3.1.x:  python3 generate_expected.py
It rewrites chat_cases.json, language_cases.json, expression_cases.json, program_cases.json and
expected/**.txt; commit them with the script.
"""

import json
import os
import shutil
import sys
from datetime import datetime

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_NOW = datetime(2025, 3, 14, 9, 26, 53)  # Java side: Clock.fixed(2025-03-14T09:26:53Z, UTC)


class GenerationTag(jinja2.ext.Extension):
    """transformers' AssistantTracker when no tracker is active: renders the body as is."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def make_environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


ENV = make_environment()


def outcome(render):
    try:
        return {"expected": render()}
    except jinja2.exceptions.TemplateSyntaxError as e:
        return {"error": {"type": type(e).__name__, "message": e.message, "line": e.lineno}}
    except Exception as e:  # noqa: BLE001 - any Jinja2 failure is an expected outcome to reproduce
        return {"error": {"type": type(e).__name__, "message": str(e)}}


# ---- conversations ------------------------------------------------------------------------------

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER = {"role": "user", "content": "Hello! Who are you?"}

MULTI_TURN = [
    SYSTEM,
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "The capital of France is Paris."},
    {"role": "user", "content": "And of Germany?"},
]

MULTI_TURN_NO_SYSTEM = MULTI_TURN[1:]

UNICODE = [
    {"role": "system", "content": "你是一个乐于助人的助手。Réponds en français si besoin. 🤖"},
    {"role": "user", "content": "你好，世界！🌍 Ça va? ✨\nCan you \"quote\" this and 'that'?"},
    {"role": "assistant", "content": "我很好 😀 — \"quoted\" and 'single'.\n\n  Indented line\tand a tab."},
    {"role": "user", "content": "  Leading and trailing spaces  \n\n"},
]

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and country, e.g. Paris, France"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit"},
            },
            "required": ["location"],
        },
    },
}

TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current local time in a time zone (IANA name, e.g. Asia/Shanghai).",
        "parameters": {
            "type": "object",
            "properties": {"timezone": {"type": "string"}},
            "required": ["timezone"],
        },
        "return": {"type": "string", "description": "ISO time"},
    },
}

TOOLS = [WEATHER_TOOL, TIME_TOOL]

TOOL_CONVERSATION = [
    {"role": "system", "content": "You can call tools."},
    {"role": "user", "content": "What's the weather in Paris and the time in 上海?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "call12345", "type": "function",
             "function": {"name": "get_current_weather", "arguments": {"location": "Paris, France", "unit": "celsius"}}},
            {"id": "call67890", "type": "function",
             "function": {"name": "get_time", "arguments": {"timezone": "Asia/Shanghai"}}},
        ],
    },
    {"role": "tool", "name": "get_current_weather", "tool_call_id": "call12345", "content": "{\"temperature\": 18.5, \"sky\": \"cloudy\"}"},
    {"role": "tool", "name": "get_time", "tool_call_id": "call67890", "content": "2025-03-14T16:26:53+08:00"},
    {"role": "assistant", "content": "It is 18.5 °C and cloudy in Paris; in Shanghai it is 16:26."},
    {"role": "user", "content": "Thanks!"},
]

SINGLE_TOOL_CALL = [
    {"role": "system", "content": "You can call tools."},
    {"role": "user", "content": "Weather in Berlin?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "abc123XYZ", "type": "function",
             "function": {"name": "get_current_weather", "arguments": {"location": "Berlin, Germany"}}},
        ],
    },
    {"role": "tool", "name": "get_current_weather", "tool_call_id": "abc123XYZ", "content": "{\"temperature\": 7, \"sky\": \"rain\"}"},
]

QWEN3_THINKING = [
    {"role": "system", "content": "Think before answering."},
    {"role": "user", "content": "What is 17 * 23?"},
    {"role": "assistant", "reasoning_content": "17 * 23 = 17 * 20 + 17 * 3 = 340 + 51 = 391.", "content": "391"},
    {"role": "user", "content": "And 391 / 17?"},
    {"role": "assistant", "content": "<think>\nDividing back gives 23.\n</think>\n\n23"},
    {"role": "user", "content": "Now add 1 to it."},
]

QWEN3_TOOLS = [
    {"role": "user", "content": "What's the weather in Tokyo?"},
    {
        "role": "assistant",
        "content": "Let me check.",
        "reasoning_content": "I should call the weather tool.",
        "tool_calls": [
            {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "Tokyo, Japan"}}},
            {"type": "function", "function": {"name": "get_time", "arguments": "{\"timezone\": \"Asia/Tokyo\"}"}},
        ],
    },
    {"role": "tool", "content": "{\"temperature\": 21}"},
    {"role": "tool", "content": "09:26"},
    {"role": "assistant", "content": "<think>\nI have both answers.\n</think>\n\nIt is 21 °C at 09:26 in Tokyo."},
    {"role": "user", "content": "<tool_response>\nnot a real user turn\n</tool_response>"},
]

R1_CONVERSATION = [
    {"role": "system", "content": "You are DeepSeek-R1."},
    {"role": "user", "content": "Is 97 prime?"},
    {"role": "assistant", "content": "<think>\nCheck 2, 3, 5, 7: none divide 97.\n</think>\n\nYes, 97 is prime."},
    {"role": "user", "content": "And 91?"},
]

R1_TOOLS = [
    {"role": "user", "content": "Weather in Oslo?"},
    {"role": "assistant", "content": None, "tool_calls": [
        {"type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Oslo\"}"}},
        {"type": "function", "function": {"name": "get_time", "arguments": "{\"timezone\": \"Europe/Oslo\"}"}},
    ]},
    {"role": "tool", "content": "{\"temperature\": -3}"},
    {"role": "tool", "content": "10:26"},
    {"role": "assistant", "content": "It is -3 °C at 10:26."},
]

NEMO_TOOLS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Weather in Berlin?"},
    {"role": "assistant", "tool_calls": [
        {"id": "abc123XYZ", "type": "function",
         "function": {"name": "get_current_weather", "arguments": {"location": "Berlin, Germany"}}},
    ]},
    {"role": "tool", "tool_call_id": "abc123XYZ", "content": {"content": "{\"temperature\": 7}"}},
    {"role": "assistant", "content": "7 °C in Berlin."},
    {"role": "user", "content": "And in München?"},
]

NOT_ALTERNATING = [
    {"role": "user", "content": "one"},
    {"role": "user", "content": "two"},
]


DOCUMENTS = [
    {"doc_id": 1, "title": "Edge boxes", "text": "An edge box runs models next to the data."},
    {"doc_id": 2, "title": "LoRA", "text": "LoRA adapters are small: a few MB."},
]

GPT_OSS_HISTORY = [
    {"role": "system", "content": "Answer tersely."},
    {"role": "user", "content": "2+2?"},
    {"role": "assistant", "thinking": "Simple arithmetic.", "content": "4"},
    {"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "thinking": "Use the tool.", "tool_calls": [
        {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "Paris, France"}}}]},
    {"role": "tool", "content": "{\"temperature\": 18}"},
]


def case(name, messages, add_generation_prompt=True, bos="", eos="", **extra):
    return {"name": name, "messages": messages, "add_generation_prompt": add_generation_prompt,
            "bos_token": bos, "eos_token": eos, "extra": extra}


CHAT_CASES = {
    "qwen2.5-instruct.jinja": [
        case("system_user", [SYSTEM, USER]),
        case("system_user_no_prompt", [SYSTEM, USER], add_generation_prompt=False),
        case("default_system", [USER]),
        case("multi_turn", MULTI_TURN),
        case("unicode", UNICODE),
        case("tools", TOOL_CONVERSATION, tools=TOOLS),
        case("tools_default_system", TOOL_CONVERSATION[1:], tools=TOOLS),
        case("tool_calls_without_tools", SINGLE_TOOL_CALL),
    ],
    "llama3-instruct.jinja": [
        case("system_user", [SYSTEM, USER], bos="<|begin_of_text|>", eos="<|eot_id|>"),
        case("multi_turn", MULTI_TURN, bos="<|begin_of_text|>", eos="<|eot_id|>"),
        case("unicode", UNICODE, add_generation_prompt=False, bos="<|begin_of_text|>", eos="<|eot_id|>"),
    ],
    "llama3.1-instruct.jinja": [
        case("system_user", [SYSTEM, USER], bos="<|begin_of_text|>", eos="<|eot_id|>"),
        case("multi_turn_no_system", MULTI_TURN_NO_SYSTEM, add_generation_prompt=False, bos="<|begin_of_text|>"),
        case("unicode", UNICODE, bos="<|begin_of_text|>"),
        case("tools_in_user_message", SINGLE_TOOL_CALL, bos="<|begin_of_text|>", tools=TOOLS),
        case("tools_in_system", SINGLE_TOOL_CALL, bos="<|begin_of_text|>", tools=TOOLS, tools_in_user_message=False),
        case("builtin_tools", [SYSTEM, USER], bos="<|begin_of_text|>",
             builtin_tools=["brave_search", "code_interpreter", "wolfram_alpha"], date_string="01 Jan 2025"),
        case("builtin_tool_call", [SYSTEM, {"role": "user", "content": "Search the news."},
                                   {"role": "assistant", "tool_calls": [{"function": {
                                       "name": "brave_search", "arguments": {"query": "edge AI news"}}}]},
                                   {"role": "ipython", "content": {"results": ["a", "b"]}}],
             bos="<|begin_of_text|>", builtin_tools=["brave_search"]),
        case("two_tool_calls_refused", TOOL_CONVERSATION, bos="<|begin_of_text|>", tools=TOOLS),
    ],
    "llama3.2-instruct.jinja": [
        case("system_user_today", [SYSTEM, USER], bos="<|begin_of_text|>"),
        case("multi_turn_fixed_date", MULTI_TURN, bos="<|begin_of_text|>", date_string="26 Jul 2024"),
        case("unicode", UNICODE, add_generation_prompt=False, bos="<|begin_of_text|>"),
        case("tools", SINGLE_TOOL_CALL, bos="<|begin_of_text|>", tools=TOOLS),
    ],
    "qwen3.jinja": [
        case("system_user", [SYSTEM, USER]),
        case("thinking_disabled", [SYSTEM, USER], enable_thinking=False),
        case("thinking_enabled", [SYSTEM, USER], enable_thinking=True),
        case("no_prompt", MULTI_TURN, add_generation_prompt=False),
        case("reasoning_history", QWEN3_THINKING),
        case("reasoning_history_thinking_off", QWEN3_THINKING, enable_thinking=False),
        case("unicode", UNICODE, enable_thinking=False),
        case("tools", QWEN3_TOOLS, tools=TOOLS),
        case("tools_with_system", [SYSTEM] + QWEN3_TOOLS[:4], tools=TOOLS, enable_thinking=True),
        case("last_turn_assistant", QWEN3_THINKING[:3], add_generation_prompt=False),
    ],
    "smollm2-instruct.jinja": [
        case("default_system", [USER]),
        case("system_user", [SYSTEM, USER]),
        case("multi_turn", MULTI_TURN, add_generation_prompt=False),
        case("unicode", UNICODE),
    ],
    "mistral-nemo-instruct-2407.jinja": [
        case("user_only", [USER], bos="<s>", eos="</s>"),
        case("system_multi_turn", MULTI_TURN, bos="<s>", eos="</s>"),
        case("unicode", UNICODE, bos="<s>", eos="</s>"),
        case("tools", NEMO_TOOLS, bos="<s>", eos="</s>", tools=TOOLS),
        case("roles_must_alternate", NOT_ALTERNATING, bos="<s>", eos="</s>"),
        case("two_tool_calls", TOOL_CONVERSATION, bos="<s>", eos="</s>", tools=TOOLS),
        case("bad_tool_call_id", [USER, {"role": "assistant", "tool_calls": [{"id": "short", "function": {
            "name": "get_time", "arguments": {"timezone": "UTC"}}}]}], bos="<s>", eos="</s>", tools=TOOLS),
    ],
    "phi3.5-mini-instruct.jinja": [
        case("system_user", [SYSTEM, USER], eos="<|endoftext|>"),
        case("multi_turn_no_prompt", MULTI_TURN, add_generation_prompt=False, eos="<|endoftext|>"),
        case("unicode", UNICODE, eos="<|endoftext|>"),
    ],
    "deepseek-r1-distill-qwen.jinja": [
        case("system_user", [SYSTEM, USER], bos="<｜begin▁of▁sentence｜>"),
        case("multi_turn_with_think", R1_CONVERSATION, bos="<｜begin▁of▁sentence｜>"),
        case("tool_calls", R1_TOOLS, add_generation_prompt=False, bos="<｜begin▁of▁sentence｜>"),
        case("tool_outputs_last", R1_TOOLS[:4], bos="<｜begin▁of▁sentence｜>"),
        case("unicode", UNICODE, bos="<｜begin▁of▁sentence｜>"),
    ],
    # more real templates, as a wider conformance net
    "gemma2-it.jinja": [
        case("multi_turn", MULTI_TURN_NO_SYSTEM, bos="<bos>"),
        case("unicode", UNICODE[1:], add_generation_prompt=False, bos="<bos>"),
        case("system_refused", [SYSTEM, USER], bos="<bos>"),
    ],
    "hermes3-llama3.1-tool-use.jinja": [
        case("tools", TOOL_CONVERSATION, bos="<|begin_of_text|>", tools=TOOLS),
        case("tools_no_system", SINGLE_TOOL_CALL[1:], bos="<|begin_of_text|>", tools=[WEATHER_TOOL]),
        case("no_tools_fails", [USER], bos="<|begin_of_text|>"),
    ],
    "granite3.3-instruct.jinja": [
        case("default_system", [USER]),
        case("thinking", [USER], thinking=True),
        case("documents", [USER], documents=DOCUMENTS, controls={"citations": True, "hallucinations": True}),
        case("tools", TOOL_CONVERSATION[1:], tools=TOOLS),
        case("unicode", UNICODE),
    ],
    "mistral-small-3.2-instruct.jinja": [
        case("default_system_today", [USER], bos="<s>", eos="</s>"),
        case("system_multi_turn", MULTI_TURN, bos="<s>", eos="</s>"),
        case("tools", TOOL_CONVERSATION, bos="<s>", eos="</s>", tools=TOOLS),
    ],
    "qwq-32b.jinja": [
        case("multi_turn_with_think", R1_CONVERSATION),
        case("tools", TOOL_CONVERSATION, tools=TOOLS),
    ],
    "gpt-oss.jinja": [
        case("system_user_today", [SYSTEM, USER]),
        case("history_and_tools", GPT_OSS_HISTORY, tools=TOOLS, reasoning_effort="high"),
        case("builtin_tools", [USER], builtin_tools=["browser", "python"], model_identity="You are edgebox."),
    ],
    "functionary-v3.1.jinja": [
        # functionary wants arguments as a JSON string; its "..."|safe + text also HTML-escapes the text
        case("tools", SINGLE_TOOL_CALL[:2] + [{"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Berlin\"}"}}]}],
             tools=[{**WEATHER_TOOL, "function": {**WEATHER_TOOL["function"],
                                                  "description": "Weather <now> & \"forecast\""}}]),
        case("dict_arguments_fail", SINGLE_TOOL_CALL, tools=[WEATHER_TOOL]),
        case("multi_turn", MULTI_TURN),
    ],
    "command-r7b-tool-use.jinja": [
        case("multi_turn", MULTI_TURN, bos="<BOS_TOKEN>"),
        case("tools", TOOL_CONVERSATION, bos="<BOS_TOKEN>", tools=TOOLS),
        case("documents", [USER], bos="<BOS_TOKEN>", documents=DOCUMENTS, tools=[]),
        case("documents_without_tools_fails", [USER], bos="<BOS_TOKEN>", documents=DOCUMENTS),
    ],
}


def render_chat(template_source, c):
    # transformers: template.render(messages=..., tools=..., documents=..., add_generation_prompt=..., **kwargs)
    # with kwargs = special tokens (bos_token, eos_token, ...) plus extra template kwargs.
    kwargs = {"bos_token": c["bos_token"], "eos_token": c["eos_token"], **c["extra"]}
    tools = kwargs.pop("tools", None)
    documents = kwargs.pop("documents", None)
    compiled = ENV.from_string(template_source)
    return compiled.render(messages=c["messages"], tools=tools, documents=documents,
                           add_generation_prompt=c["add_generation_prompt"], **kwargs)


def generate_chat_cases():
    out_dir = os.path.join(HERE, "expected")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    cases = []
    for template_file, template_cases in CHAT_CASES.items():
        with open(os.path.join(HERE, "templates", template_file), encoding="utf-8", newline="") as f:
            source = f.read()
        stem = template_file[: -len(".jinja")]
        for c in template_cases:
            entry = {"template": template_file, **c}
            result = outcome(lambda: render_chat(source, c))
            if "expected" in result:
                path = os.path.join("expected", stem, c["name"] + ".txt")
                os.makedirs(os.path.join(HERE, "expected", stem), exist_ok=True)
                with open(os.path.join(HERE, path), "w", encoding="utf-8", newline="") as f:
                    f.write(result["expected"])
                entry["expected_file"] = path
            else:
                entry["error"] = result["error"]
            cases.append(entry)
    return cases


# ---- the language itself ------------------------------------------------------------------------

def lang(name, template, **context):
    return {"name": name, "template": template, "context": context}


LANGUAGE_CASES = [
    # whitespace control, trim_blocks, lstrip_blocks, comments, raw
    lang("text_only", "Hello\nworld\n"),
    lang("trailing_newlines_one_dropped", "a\n\n\n"),
    lang("crlf_normalised", "a\r\nb\rc\r\n"),
    lang("trim_blocks_removes_newline", "{% if true %}\nyes\n{% endif %}\nafter"),
    lang("lstrip_blocks_removes_indent", "<ul>\n    {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n    {% endfor %}\n</ul>"),
    lang("lstrip_not_for_variables", "    {{ 'v' }}\n  {% if true %}x{% endif %}"),
    lang("lstrip_only_at_line_start", "a  {% if true %}b{% endif %}  c"),
    lang("minus_strips_both_sides", "a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c"),
    lang("variable_minus", "x   {{- 1 -}}   y"),
    lang("plus_keeps_indent_and_newline", "  {%+ if true +%}\nkept\n  {%+ endif %}\nend"),
    lang("comment_trim_and_lstrip", "a\n  {# note #}\nb\n{#- stripped -#}\n  c"),
    lang("comment_multiline", "x{# line1\nline2 #}y"),
    lang("raw_block", "{% raw %}{{ not parsed }}{% if %}{% endraw %}|"),
    lang("raw_block_whitespace", "a\n  {% raw -%}  {{ x }}  {%- endraw %}\nb"),
    lang("block_end_at_template_end", "{% if true %}x{% endif %}\n"),
    lang("newline_after_expression_kept", "{{ 1 }}\n{{ 2 }}\n"),
    # literals and printing
    lang("print_none_bool", "{{ none }}|{{ None }}|{{ true }}|{{ False }}"),
    lang("print_numbers", "{{ 42 }} {{ -7 }} {{ 1.5 }} {{ 2.0 }} {{ 1e20 }} {{ 1.5e-7 }} {{ 0.1 + 0.2 }} {{ 1_000 }} {{ 0x1F }} {{ 1e16 }} {{ 123456789.125 }}"),
    lang("print_list_repr", "{{ [1, 'a', none, true, 1.5, [2], {'k': 'v'}] }}"),
    lang("print_dict_repr", "{{ {'a': 1, 'b': [1, 2], 3: none, 'q': \"it's\"} }}"),
    lang("print_tuple_repr", "{{ (1,) }} {{ (1, 'x') }} {{ () }}"),
    lang("print_string_repr_escapes", "{{ ['tab\\there', 'nl\\n', \"q'\", 'both\\'\"', 'back\\\\slash', '\\x07', 'é', '中文', '😀'] }}"),
    lang("string_escapes", "{{ 'a\\tb\\nc\\\\d\\'e\\\"f\\x41\\u00e9\\U0001F600\\N{BULLET}\\d' }}"),
    lang("string_literal_concatenation", "{{ 'a' 'b' \"c\" }}"),
    lang("print_context_values", "{{ s }} {{ i }} {{ f }} {{ b }} {{ n }} {{ l }} {{ d }}",
         s="text", i=3, f=2.5, b=True, n=None, l=[1, "two", None], d={"x": {"y": [1.0]}}),
    lang("undefined_prints_empty", "[{{ missing }}]"),
    # arithmetic and operators
    lang("arithmetic", "{{ 7 + 3 }} {{ 7 - 10 }} {{ 7 * 3 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2 ** 3 ** 2 }}"),
    lang("float_arithmetic", "{{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 1 / 3 }} {{ 10 / 5 }} {{ 3 * 1.1 }}"),
    lang("precedence", "{{ 1 + 2 * 3 - 4 / 2 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ not true or true }} {{ 1 ~ 2 * 3 ~ 4 }}"),
    lang("concat_binds_tighter_than_plus", "{{ 1 + 2 ~ 3 }}"),
    lang("bool_arithmetic", "{{ true + 1 }} {{ false * 5 }} {{ true == 1 }} {{ 1 == 1.0 }}"),
    lang("string_ops", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 'x' ~ 1 ~ none ~ true ~ [1] }} {{ [1] + [2, 3] }} {{ [0] * 3 }}"),
    lang("and_or_return_operands", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ [] or none }}"),
    lang("comparisons", "{{ 1 < 2 }} {{ 2 <= 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 != 1.0 }} {{ 'a' == 'a' }}"),
    lang("membership", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 3 not in [1] }} {{ 'x' in missing }}"),
    lang("conditional_expression", "{{ 'yes' if 1 else 'no' }} {{ 'yes' if 0 else 'no' }} [{{ 'only' if false }}] {{ 1 if false else 2 if true else 3 }}"),
    lang("unary_minus_binds_before_filter", "{{ -1|abs }} {{ -(1)|abs }} {{ (-1)|abs }}"),
    lang("not_binds_looser_than_is", "{{ not x is defined }} {{ not none is none }}"),
    # attribute and item access
    lang("attribute_and_item", "{{ d.a }} {{ d['a'] }} {{ d.b.c }} {{ l[0] }} {{ l[-1] }} {{ l.1 }} {{ d['b']['c'] }}",
         d={"a": 1, "b": {"c": "deep"}}, l=["x", "y"]),
    lang("missing_attribute_is_undefined", "[{{ d.nope }}] {{ d.nope is defined }} {{ d.get('nope') }} {{ d.get('nope', 'dflt') }} {{ l[5] is defined }}",
         d={"a": 1}, l=[1]),
    lang("dict_methods_shadow_keys", "{{ d['items'] }} {{ d.items() | list }} {{ d.keys() | list }} {{ d.values() | list }}",
         d={"items": "value", "x": 1}),
    lang("dict_views_print", "{{ d.items() }} {{ d.keys() }} {{ d.values() }}", d={"a": 1, "b": [2]}),
    lang("slicing", "{{ l[1:] }} {{ l[:2] }} {{ l[::-1] }} {{ l[::2] }} {{ l[-2:] }} {{ l[1:-1] }} {{ l[5:] }} {{ l[:-10] }} {{ l[3:0:-1] }} {{ l[-1::-2] }}",
         l=[0, 1, 2, 3, 4]),
    lang("string_slicing_unicode", "{{ s[::-1] }} {{ s[1:3] }} {{ s[-1] }} {{ s|length }} {{ s[0] }}", s="héllo😀世界"),
    lang("tuple_slicing", "{{ (1, 2, 3)[1:] }} {{ (1, 2, 3)[::-1] }}"),
    # statements
    lang("if_elif_else", "{% for x in [1, 2, 3] %}{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %} {% endfor %}"),
    lang("for_loop_variables", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}"),
    lang("for_previtem_nextitem", "{% for x in [1, 2, 3] %}({{ loop.previtem }},{{ loop.nextitem }}){% endfor %}"),
    lang("for_else", "{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] if x > 5 %}x{% else %}filtered{% endfor %}"),
    lang("for_filter_counts_loop", "{% for x in range(10) if x is odd %}{{ loop.index }}:{{ x }}/{{ loop.length }} {% endfor %}"),
    lang("for_unpacking", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], (3, 4), 'xy'] %}{{ a }}{{ b }}{% endfor %}",
         d={"x": 1, "y": [2]}),
    lang("for_over_dict_and_string", "{% for k in d %}{{ k }}{% endfor %}|{% for c in 'hé😀' %}[{{ c }}]{% endfor %}", d={"b": 1, "a": 2}),
    lang("nested_loops_and_outer_loop", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in 'xy' %}{{ outer.index }}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{% endfor %}"),
    lang("loop_cycle_changed", "{% for x in [1, 1, 2, 3, 3] %}{{ loop.cycle('a', 'b') }}{% if loop.changed(x) %}!{% endif %}{% endfor %}"),
    lang("break_continue", "{% for x in range(10) %}{% if x is even %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}"),
    lang("recursive_loop", "{% for item in tree recursive %}{{ item.name }}{% if item.children %}[{{ loop(item.children) }}]{% endif %}{{ loop.depth }}{% endfor %}",
         tree=[{"name": "a", "children": [{"name": "b", "children": []}, {"name": "c"}]}, {"name": "d"}]),
    lang("set_scoping_in_loops", "{% set x = 0 %}{% for i in [1, 2, 3] %}[{{ x }}]{% set x = i %}({{ x }}){% endfor %}|{{ x }}"),
    lang("nested_frame_sees_outer_variable_before_its_set", "{% for i in [1] %}[{{ y }}]{% endfor %}{% set y = 1 %}[{{ y }}]", y="context"),
    lang("root_read_before_set_uses_context", "[{{ y }}]{% set y = 1 %}{% for i in [1] %}[{{ y }}]{% endfor %}", y="context"),
    lang("set_only_in_branch_reads_through", "{% for i in [1] %}[{{ y }}]{% endfor %}{% if false %}{% set y = 1 %}{% endif %}", y="context"),
    lang("macro_reads_root_variable_live", "{% macro m() %}[{{ y }}]{% endmacro %}{{ m() }}{% set y = 1 %}{{ m() }}", y="context"),
    lang("nested_loops_inner_sees_outer_loop_variable", "{% for i in [1, 2] %}{% for j in [0] %}[{{ z }}]{% endfor %}{% set z = i %}{% endfor %}", z="context"),
    lang("with_and_set_block_frames", "{% with %}[{{ y }}]{% set y = 2 %}[{{ y }}]{% endwith %}{% set b %}[{{ y }}]{% endset %}{{ b }}{% set y = 1 %}", y="context"),
    lang("for_else_when_every_pass_breaks_or_continues", "{% for i in [1, 2] %}{% continue %}{% else %}else1{% endfor %}|{% for i in [1, 2] %}{% break %}{% else %}else2{% endfor %}|{% for i in [1, 2] %}{% if i == 1 %}{% continue %}{% endif %}{% else %}else3{% endfor %}"),
    lang("set_in_if_leaks", "{% if true %}{% set y = 5 %}{% endif %}{{ y }}"),
    lang("set_tuple_unpack", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = 1, 2 %}{{ c }}"),
    lang("set_block", "{% set block %}\n  Hello {{ who }}!\n{% endset %}[{{ block }}]{% set up | upper | trim %} shout {% endset %}[{{ up }}]", who="Ann"),
    lang("namespace", "{% set ns = namespace(count=0, items=[], found=none) %}{% for x in [3, 4, 5] %}{% set ns.count = ns.count + x %}{% if x == 4 %}{% set ns.found = loop.index %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }} {{ ns.items }} {{ ns.missing is defined }} {{ ns }}"),
    lang("namespace_from_dict", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{{ ns['a'] }}"),
    lang("macro_defaults_and_kwargs", "{% macro greet(name, greeting='Hello', punct=greeting|length) %}{{ greeting }}, {{ name }}{{ '!' * punct }}{% endmacro %}{{ greet('Ann') }}|{{ greet('Bob', 'Hi') }}|{{ greet(name='Cy', punct=1) }}"),
    lang("macro_varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}"),
    lang("macro_missing_argument", "{% macro m(a, b) %}[{{ a }}][{{ b }}][{{ b is defined }}]{% endmacro %}{{ m(1) }}"),
    lang("macro_sees_caller_scope_at_call", "{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}"),
    lang("macro_recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}"),
    lang("macro_whitespace", "{%- macro item(x) -%}\n  <{{ x }}>\n{%- endmacro -%}\n{{ item(1) }}{{ item(2) }}"),
    lang("call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 + 1 }}{% endcall %}"),
    lang("call_block_with_args", "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) each(['a', 'b']) %}{{ n }}={{ item }};{% endcall %}"),
    lang("filter_block", "{% filter upper %}hello {{ 'world' }}{% endfilter %}|{% filter trim | replace('a', 'o') %}  banana  {% endfilter %}"),
    lang("with_block", "{% set a = 1 %}{% with a = 2, b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}"),
    lang("generation_block", "{% for m in ['x', 'y'] %}{% generation %}<{{ m }}>{% endgeneration %}{% endfor %}"),
    lang("print_statement", "{% print 'a' ~ 1 %}"),
    # filters
    lang("filter_string_case", "{{ 'hELLO wORLD'|capitalize }} {{ 'hello-world foo(bar) x_y'|title }} {{ 'abc'|upper }} {{ 'ÀB'|lower }} {{ 'ß'|upper }}"),
    lang("filter_trim", "[{{ '  a b \\n'|trim }}][{{ 'xxaxx'|trim('x') }}][{{ '\\u3000wide\\u00a0'|trim }}]"),
    lang("filter_length_count", "{{ [1, 2]|length }} {{ 'héllo😀'|length }} {{ {'a': 1}|count }} {{ missing|length }}"),
    lang("filter_default", "{{ missing|default('d') }} {{ none|default('d') }} {{ ''|default('d') }} {{ ''|default('d', true) }} {{ 0|d('z', boolean=true) }} {{ missing|d }}|"),
    lang("filter_join", "{{ [1, 'a', none]|join(', ') }} {{ 'abc'|join('-') }} {{ users|join(', ', attribute='name') }}",
         users=[{"name": "ann"}, {"name": "bob"}]),
    lang("filter_first_last", "{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'abc'|first }} {{ 'abc'|last }} {{ {'k': 1, 'j': 2}|first }} [{{ []|first }}]"),
    lang("filter_list_reverse", "{{ 'abc'|list }} {{ [1, 2, 3]|reverse|list }} {{ 'abc'|reverse }} {{ {'a': 1, 'b': 2}|list }}"),
    lang("filter_replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }}"),
    lang("filter_string_int_float", "{{ 42|string }} {{ none|string }} {{ '42'|int }} {{ '42.9'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ '0x1A'|int(0, 16) }} {{ 3.99|int }} {{ '3.5'|float }} {{ 'x'|float }} {{ 2|float }} {{ ' 12 '|int }} {{ true|int }}"),
    lang("filter_abs_round", "{{ -3|abs }} {{ -2.5|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ -0.5|round }} {{ 7|round }} {{ 1.23456|round(3, 'floor') }} {{ 1.21|round(1, 'ceil') }}"),
    lang("filter_items_dictsort", "{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %} {{ d|dictsort }} {{ d|dictsort(by='value', reverse=true) }}",
         d={"b": 1, "a": 3, "C": 2}),
    lang("filter_select_reject", "{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('odd')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ [1, 2, 3]|select('gt', 1)|list }} {{ ['a', 'b']|reject('equalto', 'a')|list }} {{ [1, 5, 10]|select('divisibleby', 5)|list }} {{ [1, 2]|select('in', [2, 3])|list }}"),
    lang("filter_selectattr_rejectattr", "{{ ms|selectattr('role', 'equalto', 'user')|map(attribute='content')|list }} {{ ms|rejectattr('role', '==', 'user')|map(attribute='content')|list }} {{ ms|selectattr('tool_calls', 'defined')|list|length }} {{ ms|selectattr('tool_calls')|list|length }}",
         ms=[{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1", "tool_calls": []},
             {"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2", "tool_calls": [1]}]),
    lang("filter_map", "{{ ['1', '2']|map('int')|list }} {{ ['a', 'b']|map('upper')|join }} {{ ds|map(attribute='x.y')|list }} {{ ds|map(attribute='z', default='-')|list }} {{ ['a b', 'c']|map('replace', ' ', '_')|list }}",
         ds=[{"x": {"y": 1}}, {"x": {"y": 2}}]),
    lang("filter_unique_sort", "{{ ['b', 'A', 'a', 'B', 'c']|unique|list }} {{ ['b', 'A', 'a']|unique(case_sensitive=true)|list }} {{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ [3, 1, 2]|sort(reverse=true) }} {{ us|sort(attribute='age')|map(attribute='n')|list }} {{ us|sort(attribute='age,n')|map(attribute='n')|join }}",
         us=[{"n": "x", "age": 30}, {"n": "y", "age": 20}, {"n": "w", "age": 30}]),
    lang("filter_min_max_sum", "{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A']|min }} {{ [1, 2.5]|sum }} {{ us|sum(attribute='age') }} {{ us|max(attribute='age') }}",
         us=[{"age": 30}, {"age": 20}]),
    lang("filter_indent", "[{{ 'a\\nb\\n\\nc'|indent }}][{{ 'a\\nb'|indent(2, true) }}][{{ 'a\\n\\nb'|indent('> ', blank=true) }}]"),
    lang("filter_wordcount_center_truncate", "{{ 'Hello, wonderful 世界 world!'|wordcount }} [{{ 'ab'|center(7) }}] {{ 'The quick brown fox jumps over'|truncate(18) }} {{ 'The quick brown fox'|truncate(10, true) }}"),
    lang("filter_batch_slice", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 'x')|list }} {{ [1, 2, 3, 4, 5]|slice(2)|list }}"),
    lang("filter_safe_escape", "{{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|safe }} {{ ('a'|safe) + '<b>' }} {{ '<i>' + ('a'|safe) }} {{ '<'|escape|escape }}"),
    lang("filter_attr", "{{ d|attr('get') is callable }} {{ d|attr('x') is defined }}", d={"x": 1}),
    lang("filter_format", "{{ '%s-%d-%05.2f-%x-%r'|format('a', 3, 3.14159, 255, 'q') }} {{ '%(a)s'|format(a=1) }}"),
    lang("tojson_basic", "{{ d|tojson }}", d={"name": "x", "n": 1, "f": 1.5, "big": 1e20, "t": True, "none": None,
                                               "list": [1, "two"], "nested": {"k": []}, "u": "中文😀", "esc": "q\"b\\\n\t\x01"}),
    lang("tojson_indent_sort", "{{ d|tojson(indent=2) }}\n{{ d|tojson(indent=4, sort_keys=true) }}\n{{ d|tojson(separators=(',', ':')) }}\n{{ d|tojson(ensure_ascii=true) }}\n{{ []|tojson(indent=2) }}{{ {}|tojson(indent=2) }}\n{{ d|tojson(indent='\\t') }}",
         d={"z": [1, {"b": 2, "a": "é"}], "a": {}}),
    lang("tojson_scalars", "{{ 'str'|tojson }} {{ 1|tojson }} {{ none|tojson }} {{ (1, 2)|tojson }} {{ {1: 'int key', true: 'b'}|tojson }}"),
    # tests
    lang("tests_types", "{% for v in [none, true, 1, 1.5, 'a', [1], {'a': 1}, (1,)] %}{{ v is none }}{{ v is boolean }}{{ v is integer }}{{ v is float }}{{ v is number }}{{ v is string }}{{ v is mapping }}{{ v is iterable }}{{ v is sequence }}|{% endfor %}"),
    lang("tests_defined", "{{ x is defined }} {{ x is undefined }} {{ y is defined }} {{ y is not none }} {{ missing is iterable }} {{ missing is sequence }}", y=None),
    lang("tests_values", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ 'a' is in 'abc' }} {{ 1 is eq 1 }} {{ 1 is ne 2 }} {{ 2 is gt 1 }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ none is sameas none }} {{ raise_exception is callable }} {{ 'upper' is filter }} {{ 'odd' is test }}"),
    lang("tests_equalto_in_select", "{{ [1, 2, 1]|select('equalto', 1)|list|length }} {{ [1, 2, 1]|select('==', 1)|list|length }}"),
    # string methods
    lang("str_methods_strip", "[{{ s.strip() }}][{{ s.lstrip() }}][{{ s.rstrip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\nab\\n'.lstrip('\\n') }}]", s="  \t a b \n "),
    lang("str_methods_split", "{{ 'a,b,,c'.split(',') }} {{ '  a  b  '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ '  a  b  '.rsplit(None, 1) }} {{ 'x</think>y</think>z'.split('</think>')[-1] }} {{ 'l1\\nl2\\r\\nl3'.splitlines() }}"),
    lang("str_methods_search", "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }} {{ 'héllo😀x'.find('x') }} {{ 'hello'.index('e') }} {{ 'hello'.startswith('l', 2) }}"),
    lang("str_methods_case_replace", "{{ 'Hello World'.upper() }} {{ 'Hello World'.lower() }} {{ 'hello wORLD'.title() }} {{ 'hELLO'.capitalize() }} {{ 'Hello'.swapcase() }} {{ 'a-b-c'.replace('-', '+') }} {{ 'a-b-c'.replace('-', '', 1) }}"),
    lang("str_methods_misc", "{{ ', '.join(['a', 'b']) }} {{ 'ab'.center(6, '*') }} {{ 'ab'.ljust(4, '.') }} {{ 'ab'.rjust(4) }} {{ '42'.zfill(5) }} {{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }} {{ 'prefix_x'.removeprefix('prefix_') }} {{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'Ab'.islower() }}"),
    lang("str_format_method", "{{ '{} and {}'.format('a', 1) }} {{ '{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='Ann') }} {{ '{:>5}|{:<5}|{:^5}|{:05d}|{:.2f}|{:,}'.format('r', 'l', 'c', 42, 3.14159, 1234567) }} {{ '{{literal}}'.format() }}"),
    lang("percent_format", "{{ '%s is %d years' % ('Ann', 30) }} {{ '%.3f' % 3.14159 }} {{ '%5s|%-5s|' % ('a', 'b') }} {{ '%s' % none }} {{ '100%%' % () }}"),
    # globals
    lang("range_and_dict", "{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }} {{ range(3) }} {{ dict(a=1, b='x') }} {{ dict([('k', 'v')]) }}"),
    lang("cycler_and_joiner", "{% set c = cycler('odd', 'even') %}{% set j = joiner(' | ') %}{% for x in range(3) %}{{ j() }}{{ c.next() }}{% endfor %} {{ c.current }}{% set _ = c.reset() %} {{ c.current }}{% set j2 = joiner() %}{{ j2() }}{{ j2() }}"),
    lang("strftime_now", "{{ strftime_now('%Y-%m-%d %H:%M:%S') }} {{ strftime_now('%d %b %Y') }} {{ strftime_now('%A, %B %-d') }} {{ strftime_now('%j %I%p %y') }}"),
    # sandbox and Python object semantics
    lang("generators_are_truthy_once", "{% set g = [1, 2]|select('odd') %}{{ g is iterable }} {{ true if g else false }} {{ g|list }} {{ g|list }} {{ true if [1]|reject('odd') else false }}"),
    lang("generator_has_no_length", "{{ ([1, 2]|select)|length }}"),
    lang("list_append_is_unsafe", "{% set l = [] %}{{ l.append is defined }}{% set _ = l.append(1) %}{{ l }}"),
    lang("dict_pop_is_unsafe", "{% set d = {'a': 1} %}{{ d.pop('a') }}"),
    lang("string_plus_number_fails", "{{ 'a' + 1 }}"),
    lang("number_plus_string_fails", "{{ 1 + 'a' }}"),
    lang("undefined_arithmetic_fails", "{{ missing + 1 }}"),
    lang("undefined_attribute_fails", "{{ missing.attr }}"),
    lang("attribute_of_none_is_undefined", "[{{ n.attr }}] {{ n.attr is defined }}", n=None),
    lang("missing_key_then_concat_fails", "{{ d.content + 'x' }}", d={"role": "user"}),
    lang("index_out_of_range_fails_when_used", "{{ l[3] + 1 }}", l=[1]),
    lang("compare_incompatible_fails", "{{ 1 < 'a' }}"),
    lang("in_on_none_fails", "{{ 'a' in n }}", n=None),
    lang("call_non_callable_fails", "{{ 'abc'() }}"),
    lang("division_by_zero", "{{ 1 / 0 }}"),
    lang("unpack_mismatch", "{% for a, b in [[1, 2, 3]] %}{% endfor %}"),
    lang("macro_too_many_args", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}"),
    lang("raise_exception_message", "{% if messages[0].role != 'system' %}{{ raise_exception('First message must be from the system, got: ' + messages[0].role) }}{% endif %}ok",
         messages=[{"role": "user", "content": "hi"}]),
    lang("unknown_filter_in_untaken_branch_is_fine", "{% if false %}{{ x|no_such_filter }}{% endif %}ok"),
    lang("unknown_filter_at_runtime", "{% if true %}{{ 'x'|no_such_filter }}{% endif %}"),
    lang("unknown_test_in_untaken_branch_is_fine", "{% if false %}{{ x is no_such_test }}{% endif %}ok"),
    lang("unknown_filter_outside_branch_fails", "line one\n{{ x|no_such_filter }}"),
    # found by differential fuzzing against Jinja2
    lang("map_select_on_falsy_values", "{{ 0|map('string')|list }} {{ none|select|list }} {{ ''|map('upper')|list }} {{ missing|reject|list }}"),
    lang("truncate_returns_short_values_as_is", "{{ [1, 2]|truncate(5) }} {{ 'short'|truncate(5) }}"),
    lang("truncate_needs_a_length", "{{ 7|truncate(5) }}"),
    lang("indent_needs_a_string", "{{ 0|indent(2) }}"),
    lang("indent_of_a_list", "{{ [1]|indent(2) }}"),
    lang("unhashable_dict_key", "{{ [1] in {'a': 1} }}"),
    lang("percent_with_list_or_undefined", "{{ 'a' % [1, 2] }}|{{ '%s' % missing }}|{{ '' % missing }}"),
    lang("percent_unused_argument", "{{ 'a' % 1 }}"),
    lang("multiply_sequence_by_non_int", "{{ 'a' * 'b' }}"),
    lang("last_of_non_sequence", "{{ 5|last }}"),
    lang("reverse_of_non_iterable", "{{ 5|reverse }}"),
    lang("dictsort_of_undefined", "{{ missing|dictsort }}"),
    lang("slice_of_dict", "{{ d[1:] }}", d={"a": 1}),
    lang("slice_of_number", "{{ n[1:] }}", n=5),
    # syntax errors (the line is checked)
    lang("syntax_unclosed_for", "a\n{% for x in y %}\nbody\n"),
    lang("syntax_unknown_tag", "x\n\n{% frobnicate %}"),
    lang("syntax_bad_expression", "{{ 1 + }}"),
    lang("syntax_unclosed_variable", "ok\n{{ 'a'\nmore"),
    lang("syntax_unbalanced_bracket", "{{ (1 ] }}"),
    lang("syntax_endif_without_if", "a\n{% endif %}"),
    lang("syntax_break_outside_loop", "{% break %}"),
    lang("syntax_unterminated_comment", "{# never closed"),
    lang("syntax_else_twice", "{% if a %}{% else %}{% else %}{% endif %}"),
]


def random_expressions(count, seed=20250314):
    """Random nested expressions over literals and context values, to catch divergence in
    operators, filters, tests and methods, including Jinja2's error messages. Slicing of literals
    (which Jinja2 constant-folds with different rules) and big integers are left out."""
    import random
    rnd = random.Random(seed)
    atoms = ["0", "1", "-3", "7", "300", "2.5", "-0.5", "1e16", "1.5e-05", "3.0", "''", "'a'", "'Hello World'", "' x '",
             "'中文😀'", "'a,b,c'", "\"it's\"", "[]", "[1, 2, 3]", "['b', 'A', 'a']", "[1, 'x', none]", "{}",
             "{'k': 1, 'j': [2]}", "none", "true", "false", "(1, 2)", "s", "n", "f", "l", "d", "u", "e",
             "s[1:]", "l[::-1]", "s[-3:]", "l[:2]"]
    filters = ["length", "upper", "lower", "title", "capitalize", "trim", "first", "last", "list", "reverse|list", "sort",
               "unique|list", "join(', ')", "join", "default('x')", "default('x', true)", "int", "float", "string",
               "abs", "round", "round(1)", "tojson", "tojson(indent=2)", "items|list", "dictsort", "select('odd')|list",
               "reject('none')|list", "map('string')|list", "wordcount", "replace('a', 'b')", "indent(2)", "center(9)",
               "truncate(5)", "batch(2)|list", "sum", "min", "max", "count", "list|length", "selectattr('k')|list",
               "map(attribute='k')|list", "first|string", "string|length"]
    tests = ["defined", "undefined", "none", "string", "number", "integer", "float", "iterable", "sequence", "mapping",
             "odd", "even", "true", "false", "boolean", "callable", "divisibleby 3", "in [1, 'a']", "eq 1", "lower", "upper"]
    methods = [".upper()", ".split(',')", ".split()", ".strip()", ".startswith('a')", ".get('k')", ".get('zz', 5)",
               ".items()|list", ".keys()|list", "[0]", "[-1]", ".count('a')", ".replace('a', 'X')", ".find('b')",
               ".title()", ".endswith(('c', 'x'))", ".lstrip('H')", ".values()|list", ".k", "['k']", ".join(['1','2'])"]
    operators = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or"]

    def expr(depth):
        r = rnd.random()
        if depth <= 0 or r < 0.3:
            return rnd.choice(atoms)
        if r < 0.5:
            return f"({expr(depth - 1)}) {rnd.choice(operators)} ({expr(depth - 1)})"
        if r < 0.65:
            return f"({expr(depth - 1)})|{rnd.choice(filters)}"
        if r < 0.75:
            return f"({expr(depth - 1)}) is {rnd.choice(['', 'not '])}{rnd.choice(tests)}"
        if r < 0.88:
            return f"({expr(depth - 1)}){rnd.choice(methods)}"
        if r < 0.94:
            return f"not ({expr(depth - 1)})"
        return f"({expr(depth - 1)}) if ({expr(depth - 1)}) else ({expr(depth - 1)})"

    context = {"s": "Hello, World", "n": 42, "f": -1.25, "l": [3, 1, 2], "d": {"k": "v", "a": 1}, "e": ""}
    cases = []
    for i in range(count):
        source = "{{ " + expr(3) + " }}"
        cases.append({"name": f"expression_{i:04d}", "template": source,
                      **outcome(lambda: ENV.from_string(source).render(**context))})
    return {"context": context, "cases": cases}


def random_programs(count, seed=20250315):
    """Random statement programs: whitespace control around nested if/for/raw/comments, and set,
    namespace, macros, call, with and set blocks, break/continue and loop variables, to pin down
    Jinja2's whitespace handling and its compile-time scoping."""
    import random
    rnd = random.Random(seed)
    texts = ["", " ", "  ", "\n", "\t", "x y", "\n  ", "  \n", "\n\n", " \t\n ", "b\n", "\u3000", "\r\n", "\u00a0"]
    targets = ["x", "y", "ns.a", "ns.b"]
    reads = ["x", "y", "ns.a", "ns.b", "i", "loop.index", "loop.first", "loop.last", "loop.length", "loop.previtem",
             "loop.revindex", "m(1)", "m(x)", "items|length", "k", "v", "caller", "'v'", "1"]
    values = ["1", "'s'", "x", "y ~ 'z'", "ns.a + 1", "[1, 2]", "i", "loop.index0", "items[0]", "none", "x|default(3)",
              "(x or 0) + 1", "ns.b", "v"]

    def mark():
        return rnd.choice(["", "", "-", "+"])

    def block(depth, in_loop):
        out = []
        for _ in range(rnd.randint(1, 4)):
            r = rnd.random()
            if r < 0.2:
                out.append(f"{{%{mark()} set {rnd.choice(targets)} = {rnd.choice(values)} {mark()}%}}")
            elif r < 0.35:
                out.append("{{" + rnd.choice(["", "-"]) + f" {rnd.choice(reads)} " + rnd.choice(["", "-"]) + "}}")
            elif r < 0.4:
                out.append("{#" + mark() + " c " + mark() + "#}")
            elif r < 0.43:
                out.append("{%" + mark() + " raw " + rnd.choice(["", "-"]) + "%}" + rnd.choice(texts) + "{{ raw }}"
                           + rnd.choice(texts) + "{%" + mark() + " endraw " + mark() + "%}")
            elif r < 0.53 and depth > 0:
                out.append(f"{{%{mark()} for i in {rnd.choice(['items', '[3, 4]', 'range(3)', 'd', 'items|reverse'])}"
                           f"{rnd.choice(['', ' if i != 2'])} {mark()}%}}{block(depth - 1, True)}"
                           f"{rnd.choice(['', '{% else %}E'])}{{%{mark()} endfor {mark()}%}}")
            elif r < 0.58 and depth > 0:
                out.append(f"{{% for k, v in d.items() %}}{block(depth - 1, True)}{{% endfor %}}")
            elif r < 0.68 and depth > 0:
                test = rnd.choice(['x', 'not y', 'i is defined', 'loop is defined', 'ns.a > 1', 'items', 'true', 'false'])
                other = rnd.choice(["", "{% else %}" + block(depth - 1, in_loop)])
                out.append(f"{{%{mark()} if {test} {mark()}%}}{block(depth - 1, in_loop)}{other}{{%{mark()} endif {mark()}%}}")
            elif r < 0.73 and in_loop:
                out.append(rnd.choice(["{% break %}", "{% continue %}"]))
            elif r < 0.78 and depth > 0:
                out.append(f"{{% set blk %}}{block(depth - 1, False)}{{% endset %}}[{{{{ blk|trim }}}}]")
            elif r < 0.83 and depth > 0:
                out.append(f"{{% call m2() %}}{block(depth - 1, False)}{{% endcall %}}")
            elif r < 0.88 and depth > 0:
                out.append(f"{{% with x = {rnd.choice(values)} %}}{block(depth - 1, in_loop)}{{% endwith %}}")
            else:
                out.append(rnd.choice(texts))
            out.append(rnd.choice(texts) if rnd.random() < 0.6 else "")
        return "".join(out)

    prelude = ("{% set ns = namespace(a=1, b='q') %}{% macro m(p, q=x) %}<{{ p }}{{ q }}{{ x }}>{% endmacro %}"
               "{% macro m2() %}({{ caller() }}){% endmacro %}")
    context = {"items": [5, 2, 7], "d": {"a": 1, "b": [2]}, "y": "Y"}
    cases = []
    for i in range(count):
        body = block(3, False)
        cases.append({"name": f"program_{i:04d}", "template": body,
                      **outcome(lambda: ENV.from_string(prelude + body).render(**context))})
    return {"context": context, "prelude": prelude, "cases": cases}


def generate_language_cases():
    cases = []
    for c in LANGUAGE_CASES:
        def render(c=c):
            return ENV.from_string(c["template"]).render(**c["context"])
        cases.append({**c, **outcome(render)})
    return cases


def write_json(name, data, indent=1):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def main():
    if not jinja2.__version__.startswith("3.1."):
        sys.exit(f"expected jinja2 3.1.x, found {jinja2.__version__}")
    write_json("chat_cases.json", generate_chat_cases())
    write_json("language_cases.json", generate_language_cases())
    write_json("expression_cases.json", random_expressions(1000), indent=None)
    write_json("program_cases.json", random_programs(400), indent=None)


if __name__ == "__main__":
    main()
