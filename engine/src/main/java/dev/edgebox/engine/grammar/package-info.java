/**
 * Guaranteed structured output: grammars, the token mask that keeps generation inside them, and
 * the compilers and checks around them. See docs/structured-output.md.
 *
 * <p>A request's format becomes a {@link dev.edgebox.engine.grammar.StructuredOutput} (JSON Schema
 * via {@code JsonSchemaCompiler}, any JSON, a regex via {@code RegexCompiler}, choices, or GBNF
 * text via {@code GbnfParser}). All of them produce a {@link dev.edgebox.engine.grammar.Grammar}:
 * rule expressions ({@code Expr}) lowered ({@code Lowering}) to byte-level rules whose character
 * classes are UTF-8 byte patterns ({@code Utf8Sequences}). Each generation gets a
 * {@link dev.edgebox.engine.grammar.GrammarConstraint}, a logit processor that matches the grammar
 * with a pushdown automaton over bytes ({@code Automaton}: interned parse stacks, cached steps)
 * and masks tokens by walking the tokenizer's byte trie ({@code TokenTrie}) once per mask. When
 * the output is done, {@link dev.edgebox.engine.grammar.StructuredOutput#check} validates it
 * independently ({@link dev.edgebox.engine.grammar.JsonSchemaValidator}, {@link java.util.regex}).
 */
package dev.edgebox.engine.grammar;
