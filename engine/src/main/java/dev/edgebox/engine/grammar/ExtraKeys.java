package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.seq;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Property names for additionalProperties: any JSON string of plain (unescaped) characters except
 * the declared names, so an extra member never repeats a declared one. Built from a trie of the
 * declared names: at each node the name may end (unless a declared name ends there), continue with
 * a character no declared name has there (then anything), or follow a declared name further.
 */
final class ExtraKeys {
    private ExtraKeys() {}

    private static final class Node {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        boolean declared;
    }

    static Expr notIn(List<String> names) {
        Node root = new Node();
        for (String name : names) {
            // A name that needs escapes cannot be written with plain characters, so it cannot collide.
            if (!name.codePoints().allMatch(c -> CodepointSet.contains(JsonGrammar.PLAIN_CHARS, c))) continue;
            Node n = root;
            for (int c : name.codePoints().toArray()) n = n.children.computeIfAbsent(c, k -> new Node());
            n.declared = true;
        }
        Expr rest = seq(Expr.star(new Expr.Chars(JsonGrammar.PLAIN_CHARS)), lit("\""));
        return seq(lit("\""), node(root, rest));
    }

    private static Expr node(Node n, Expr rest) {
        List<Expr> options = new ArrayList<>();
        if (!n.declared) options.add(lit("\""));
        int[] taken = new int[n.children.size() * 2];
        int i = 0;
        for (int c : n.children.keySet()) {
            taken[i++] = c;
            taken[i++] = c;
        }
        int[] other = CodepointSet.minus(JsonGrammar.PLAIN_CHARS, CodepointSet.normalize(taken));
        if (other.length > 0) options.add(seq(new Expr.Chars(other), rest));
        for (var e : n.children.entrySet()) options.add(seq(lit(new String(Character.toChars(e.getKey()))), node(e.getValue(), rest)));
        return Expr.alt(options);
    }
}
