package dev.kubani.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Decodes a big pod list on every core: this thread reads the response and cuts the "items"
 * array into blocks of whole items with a byte scan (strings and escapes respected, no
 * tokenizing), and worker threads decode the blocks with {@link PodStream}. Rows reach the sink
 * in list order. The result equals a sequential decode of the same document.
 */
final class SplitList {
    /** A block is handed to a worker once it holds this many bytes of items. */
    static final int BLOCK = 1 << 20;
    /** Blocks decoded or queued at once: bounds the memory held by raw bytes. */
    private static final int IN_FLIGHT = 8;

    /** One pod decoder per worker thread (it keeps the strings it has seen). */
    private static final ThreadLocal<PodStream> DECODER = ThreadLocal.withInitial(PodStream::new);

    private SplitList() {
    }

    /** Streams the pods of a list document to {@code sink}; returns metadata.resourceVersion. */
    static String parse(InputStream in, JsonFactory json, ObjectMapper mapper, Consumer<PodRow> sink) throws IOException {
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "kubani-decode");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<List<PodRow>>> pending = new ArrayDeque<>();
        try {
            byte[] buf = new byte[1 << 17];
            byte[] stack = new byte[64];
            int depth = 0;
            boolean inStr = false;
            boolean esc = false;
            boolean item = false;
            boolean meta = false;
            Block block = new Block();
            ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                int from = 0;
                int i = 0;
                if (inStr) { // a string goes on from the last read
                    int q = skipString(buf, 0, n, esc);
                    if (q < 0) {
                        esc = q == ESCAPE_PENDING;
                        i = n;
                    } else {
                        inStr = false;
                        esc = false;
                        i = q + 1;
                    }
                }
                for (; i < n; i++) {
                    byte b = buf[i];
                    switch (b) {
                        case '"' -> {
                            int q = skipString(buf, i + 1, n, false);
                            if (q < 0) {
                                inStr = true;
                                esc = q == ESCAPE_PENDING;
                                i = n;
                            } else {
                                i = q;
                            }
                        }
                        case '{', '[' -> {
                            if (++depth >= stack.length) {
                                stack = Arrays.copyOf(stack, stack.length * 2);
                            }
                            stack[depth] = b;
                            if (b == '{' && depth == 3 && stack[2] == '[') {
                                item = true;
                                from = i;
                            } else if (b == '{' && depth == 2) {
                                meta = true;
                                from = i;
                            }
                        }
                        case '}', ']' -> {
                            if (depth == 0) {
                                throw new IOException("malformed JSON: unbalanced '" + (char) b + "'");
                            }
                            if (item && depth == 3) {
                                block.addItem(buf, from, i + 1 - from);
                                item = false;
                                if (block.len >= BLOCK) {
                                    submit(pool, pending, block, json, mapper, sink);
                                    block = new Block();
                                }
                            } else if (meta && depth == 2) {
                                metaBytes.write(buf, from, i + 1 - from);
                                meta = false;
                            }
                            depth--;
                        }
                        default -> {
                        }
                    }
                }
                if (item) {
                    block.add(buf, from, n - from);
                } else if (meta) {
                    metaBytes.write(buf, from, n - from);
                }
            }
            if (depth != 0 || inStr) {
                throw new IOException("the list ended early (truncated JSON)");
            }
            if (block.len > 1) {
                submit(pool, pending, block, json, mapper, sink);
            }
            while (!pending.isEmpty()) {
                drain(pending.poll(), sink);
            }
            if (metaBytes.size() == 0) {
                return "";
            }
            JsonNode md = mapper.readTree(metaBytes.toByteArray());
            return md.path("resourceVersion").asText("");
        } finally {
            pool.shutdownNow();
        }
    }

    private static final int ESCAPE_PENDING = -2;

    /**
     * Skips string content from {@code i}: the index of the closing quote, or -1 when the string
     * goes on past {@code n}, or {@link #ESCAPE_PENDING} when it does and the last byte began an
     * escape. {@code esc}: the first byte is escaped. A tight loop: most of a pod list is strings.
     */
    private static int skipString(byte[] b, int i, int n, boolean esc) {
        if (esc) {
            i++;
        }
        while (i < n) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    return ESCAPE_PENDING;
                }
                i += 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Whole items, comma-separated, in a JSON array: '[' item ',' item ',' ... (the last ',' becomes ']'). */
    private static final class Block {
        byte[] data = new byte[BLOCK + (BLOCK >> 2)];
        int len = 1;

        Block() {
            data[0] = '[';
        }

        void add(byte[] src, int off, int n) {
            if (len + n + 1 > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, len + n + 1));
            }
            System.arraycopy(src, off, data, len, n);
            len += n;
        }

        void addItem(byte[] src, int off, int n) {
            add(src, off, n);
            data[len++] = ',';
        }
    }

    private static void submit(ExecutorService pool, ArrayDeque<Future<List<PodRow>>> pending, Block block,
                               JsonFactory json, ObjectMapper mapper, Consumer<PodRow> sink) throws IOException {
        byte[] bytes = block.data;
        int len = block.len;
        bytes[len - 1] = ']'; // the trailing ','
        pending.add(pool.submit(() -> decode(bytes, len, json, mapper)));
        while (pending.size() > IN_FLIGHT) {
            drain(pending.poll(), sink);
        }
    }

    private static List<PodRow> decode(byte[] bytes, int len, JsonFactory json, ObjectMapper mapper) throws IOException {
        List<PodRow> rows = new ArrayList<>(2048);
        PodStream pods = DECODER.get();
        try (JsonParser p = json.createParser(bytes, 0, len)) {
            p.setCodec(mapper);
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                rows.add(pods.read(p));
            }
        }
        return rows;
    }

    private static void drain(Future<List<PodRow>> f, Consumer<PodRow> sink) throws IOException {
        List<PodRow> rows;
        try {
            rows = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding the list");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c.getMessage(), c);
        }
        for (PodRow r : rows) {
            if (r != null) {
                sink.accept(r);
            }
        }
    }
}
