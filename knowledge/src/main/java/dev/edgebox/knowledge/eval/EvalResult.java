package dev.edgebox.knowledge.eval;

/** Mean metrics over the judged queries of one run. */
public record EvalResult(String mode, int queries, double ndcg10, double recall100, double mrr10) {}
