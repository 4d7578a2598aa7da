package dev.edgebox.server.kb;

import dev.edgebox.knowledge.KbQuery;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.IndexStats;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.SearchMode;
import dev.edgebox.knowledge.index.StoredChunk;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Multipart;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The knowledge-base API:
 * <pre>
 * GET    /v1/kb                              knowledge bases
 * GET    /v1/kb/{name}                       one base's settings and counts
 * POST   /v1/kb/{name}/documents             multipart upload, one or more "file" parts (optional "id" for one file)
 * GET    /v1/kb/{name}/documents             documents
 * GET    /v1/kb/{name}/documents/{id}        one document (?chunks=true adds its chunks)
 * DELETE /v1/kb/{name}/documents/{id}        remove a document
 * POST   /v1/kb/{name}/query                 {"query","top_k","mode","sources","fusion"} -> chunks with scores
 * </pre>
 * A document id with '/' in it travels percent-encoded (%2F). An upload is answered only once it is
 * durable.
 */
public final class KbRoutes {
    private final KnowledgeBases bases;

    public KbRoutes(KnowledgeBases bases) {
        this.bases = bases;
    }

    public Router register(Router r) {
        return r.get("/v1/kb", this::list)
                .get("/v1/kb/{name}", this::stats)
                .post("/v1/kb/{name}/documents", this::upload)
                .get("/v1/kb/{name}/documents", this::documents)
                .get("/v1/kb/{name}/documents/{id}", this::document)
                .delete("/v1/kb/{name}/documents/{id}", this::delete)
                .post("/v1/kb/{name}/query", this::query);
    }

    public record KbInfo(String object, String name, String embedder, int dimension, int chunkTokens, int overlapTokens,
                         int documents, int chunks, long bytesOnDisk) {}

    public record DocumentInfo(String object, String id, String source, String status, String contentHash, String pageUnit,
                               int pages, int chunks, long bytes, long addedAt) {
        static DocumentInfo of(DocumentRecord r, String status) {
            return new DocumentInfo("kb.document", r.docId(), r.source(), status, r.contentHash(), r.pageUnit(), r.pages(), r.chunks(),
                    r.bytes(), r.addedAt());
        }
    }

    public record ChunkInfo(String object, String docId, int chunk, String text, String source, String file, int page, int lastPage,
                            String location, List<String> headings, Float score, Integer bm25Rank, Integer vectorRank) {
        static ChunkInfo of(StoredChunk c, SearchHit hit) {
            return new ChunkInfo("kb.chunk", c.docId(), c.ordinal(), c.text(), c.source(), c.fileName(), c.page(), c.lastPage(),
                    c.location(), c.headings(), hit == null ? null : hit.score(),
                    hit == null || hit.bm25Rank() == 0 ? null : hit.bm25Rank(), hit == null || hit.vectorRank() == 0 ? null : hit.vectorRank());
        }
    }

    public record ListOf<T>(String object, List<T> data) {
        static <T> ListOf<T> of(List<T> data) {
            return new ListOf<>("list", data);
        }
    }

    public record UploadError(String file, String message) {}

    public record UploadResult(String object, List<DocumentInfo> data, List<UploadError> errors) {}

    public record DocumentWithChunks(DocumentInfo document, List<ChunkInfo> chunks) {}

    public record Deleted(String id, String object, boolean deleted) {}

    /** The JSON body of a query. */
    public record QueryBody(String query, Integer topK, String mode, List<String> sources, String fusion) {}

    private Response list(Request req) {
        List<KbInfo> out = new ArrayList<>();
        for (String name : bases.names()) out.add(info(name, kb(name)));
        return Response.json(ListOf.of(out));
    }

    private Response stats(Request req) {
        String name = req.param("name");
        return Response.json(info(name, kb(name)));
    }

    private static KbInfo info(String name, KnowledgeBase kb) {
        IndexStats s = kb.stats();
        var c = kb.config();
        return new KbInfo("kb", name, c.embedder(), c.dimension(), c.chunkTokens(), c.overlapTokens(), s.documents(), s.chunks(),
                s.bytesOnDisk());
    }

    private Response upload(Request req) throws Exception {
        KnowledgeBase kb = kb(req.param("name"));
        List<Multipart.Part> parts = req.multipart();
        List<Multipart.Part> files = parts.stream().filter(Multipart.Part::isFile).toList();
        if (files.isEmpty()) throw ApiException.badRequest("no file in the upload; expected one or more form parts named 'file' with a filename", "file");
        String id = parts.stream().filter(p -> !p.isFile() && "id".equals(p.name())).map(p -> p.text().trim()).findFirst().orElse(null);
        if (id != null && files.size() > 1) throw ApiException.badRequest("'id' names one document but " + files.size() + " files were sent", "id");
        List<DocumentInfo> done = new ArrayList<>();
        List<UploadError> errors = new ArrayList<>();
        List<KnowledgeBase.Outcome> outcomes = new ArrayList<>();
        for (Multipart.Part f : files) {
            String name = baseName(f.filename());
            try {
                outcomes.add(kb.add(new SourceFile(name, f.content()), id != null ? id : name, n -> { }));
            } catch (KnowledgeException e) {
                errors.add(new UploadError(name, e.getMessage()));
            } catch (RuntimeException e) {
                errors.add(new UploadError(name, "cannot be read (" + e.getClass().getSimpleName() + ")"));
            }
        }
        kb.commit(); // answer only what is durable
        for (KnowledgeBase.Outcome o : outcomes) done.add(DocumentInfo.of(o.record(), o.status().name().toLowerCase()));
        int status = done.isEmpty() ? 400 : 200;
        if (status == 400 && errors.size() == 1) throw ApiException.badRequest(errors.getFirst().message(), "file");
        return Response.json(status, new UploadResult("list", done, errors));
    }

    private Response documents(Request req) {
        KnowledgeBase kb = kb(req.param("name"));
        return Response.json(ListOf.of(kb.documents().stream().map(r -> DocumentInfo.of(r, "stored")).toList()));
    }

    private Response document(Request req) {
        KnowledgeBase kb = kb(req.param("name"));
        String id = req.param("id");
        DocumentRecord r = kb.document(id).orElseThrow(() -> ApiException.notFound("no document '" + id + "' in knowledge base '" + req.param("name") + "'"));
        if (!"true".equals(req.query("chunks"))) return Response.json(DocumentInfo.of(r, "stored"));
        List<ChunkInfo> chunks = kb.chunks(id).stream().map(c -> ChunkInfo.of(c, null)).toList();
        return Response.json(new DocumentWithChunks(DocumentInfo.of(r, "stored"), chunks));
    }

    private Response delete(Request req) {
        KnowledgeBase kb = kb(req.param("name"));
        String id = req.param("id");
        if (!kb.remove(id)) throw ApiException.notFound("no document '" + id + "' in knowledge base '" + req.param("name") + "'");
        return Response.json(new Deleted(id, "kb.document.deleted", true));
    }

    private Response query(Request req) throws Exception {
        KnowledgeBase kb = kb(req.param("name"));
        QueryBody body = req.json(QueryBody.class);
        if (body.query() == null || body.query().isBlank()) throw ApiException.badRequest("'query' is missing or empty", "query");
        KbQuery q;
        try {
            q = new KbQuery(body.query(), body.mode() == null ? SearchMode.HYBRID : SearchMode.parse(body.mode()),
                    body.topK() == null ? 5 : body.topK(), body.sources(), body.fusion() == null ? Fusion.RRF : Fusion.parse(body.fusion()));
        } catch (KnowledgeException e) {
            throw ApiException.badRequest(e.getMessage(), null);
        }
        List<ChunkInfo> hits = kb.query(q).stream().map(h -> ChunkInfo.of(h.chunk(), h)).toList();
        return Response.json(ListOf.of(hits));
    }

    private KnowledgeBase kb(String name) {
        try {
            KnowledgeBases.checkName(name);
        } catch (KnowledgeException e) {
            throw ApiException.badRequest(e.getMessage(), "name");
        }
        if (!bases.exists(name)) throw ApiException.notFound("no knowledge base named '" + name + "'");
        return bases.get(name);
    }

    private static String baseName(String filename) {
        String n = filename.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        return n.isBlank() ? "upload" : n;
    }
}
