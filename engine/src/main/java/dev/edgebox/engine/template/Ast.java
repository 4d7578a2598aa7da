package dev.edgebox.engine.template;

import java.util.List;

/** The syntax tree of a template: statements that write output and the expressions they evaluate. */
final class Ast {
    private Ast() {}

    // ---- statements --------------------------------------------------------------------------------

    sealed interface Stmt permits Text, Output, If, For, Assign, AssignBlock, MacroDef, CallBlock, FilterBlock,
            With, Break, Continue, Scoped {
        int line();
    }

    record Text(String text, int line) implements Stmt {}

    record Output(Expr expr, int line) implements Stmt {}

    record Branch(Expr test, List<Stmt> body) {}

    record If(List<Branch> branches, List<Stmt> otherwise, int line) implements Stmt {}

    record For(Target target, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> otherwise, boolean recursive,
               int line) implements Stmt {}

    record Assign(Target target, Expr value, int line) implements Stmt {}

    /** {@code {% set x | filter %}body{% endset %}}; filter is null or a Filter whose value is null. */
    record AssignBlock(Target target, Filter filter, List<Stmt> body, int line) implements Stmt {}

    /** A macro's signature and body, shared by {@code macro} and the caller of {@code call} blocks. */
    record Signature(String name, List<String> params, List<Expr> defaults, boolean catchVarargs, boolean catchKwargs) {}

    record MacroDef(Signature signature, List<Stmt> body, int line) implements Stmt {}

    record CallBlock(Signature signature, Call call, List<Stmt> body, int line) implements Stmt {}

    record FilterBlock(Filter filter, List<Stmt> body, int line) implements Stmt {}

    record With(List<Target> targets, List<Expr> values, List<Stmt> body, int line) implements Stmt {}

    record Break(int line) implements Stmt {}

    record Continue(int line) implements Stmt {}

    /** A body rendered in its own scope: Hugging Face's {@code {% generation %}} tag. */
    record Scoped(List<Stmt> body, int line) implements Stmt {}

    // ---- assignment targets ------------------------------------------------------------------------

    sealed interface Target permits NameTarget, TupleTarget, NamespaceTarget {}

    record NameTarget(String name) implements Target {}

    record TupleTarget(List<Target> items) implements Target {}

    /** {@code set ns.attr = ...} */
    record NamespaceTarget(String namespace, String attribute) implements Target {}

    // ---- expressions -------------------------------------------------------------------------------

    sealed interface Expr permits Const, Name, ListExpr, TupleExpr, DictExpr, GetAttr, GetItem, Slice, Call, Filter,
            Test, Unary, Binary, And, Or, Not, Concat, Compare, CondExpr {}

    record Const(Object value) implements Expr {}

    record Name(String name) implements Expr {}

    record ListExpr(List<Expr> items) implements Expr {}

    record TupleExpr(List<Expr> items) implements Expr {}

    record DictExpr(List<Expr> keys, List<Expr> values) implements Expr {}

    record GetAttr(Expr object, String name) implements Expr {}

    record GetItem(Expr object, Expr key) implements Expr {}

    /** Only as the key of a GetItem; parts are null when omitted. */
    record Slice(Expr start, Expr stop, Expr step) implements Expr {}

    record Arguments(List<Expr> positional, List<String> keywordNames, List<Expr> keywordValues, Expr star,
                     Expr doubleStar) {
        static final Arguments NONE = new Arguments(List.of(), List.of(), List.of(), null, null);
    }

    record Call(Expr function, Arguments arguments) implements Expr {}

    /** {@code value|name(args)}; value is null inside filter blocks and filtered set blocks. */
    record Filter(Expr value, String name, Arguments arguments, int line) implements Expr {}

    record Test(Expr value, String name, Arguments arguments, int line) implements Expr {}

    record Unary(char operator, Expr operand) implements Expr {}

    /** Arithmetic: + - * / // % ** */
    record Binary(String operator, Expr left, Expr right) implements Expr {}

    record And(Expr left, Expr right) implements Expr {}

    record Or(Expr left, Expr right) implements Expr {}

    record Not(Expr operand) implements Expr {}

    /** The {@code ~} operator: str() of every part, joined. */
    record Concat(List<Expr> parts) implements Expr {}

    /** A chain such as {@code a < b <= c}; operators are == != < <= > >= in notin. */
    record Compare(Expr first, List<String> operators, List<Expr> operands) implements Expr {}

    /** {@code then if test else otherwise}; otherwise is null when the else part is missing. */
    record CondExpr(Expr test, Expr then, Expr otherwise) implements Expr {}
}
