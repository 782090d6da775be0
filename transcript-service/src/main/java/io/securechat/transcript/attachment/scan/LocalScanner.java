package io.securechat.transcript.attachment.scan;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The first, cheap gate of an upload, before moderation-service's scan ({@link RemoteScanner}):
 * the type allow-list by magic bytes (the declared Content-Type and the filename's extension
 * must agree with what the bytes are; text must be UTF-8 without NUL bytes all the way through;
 * zips and OLE2 files are only told apart as families, the scan names the document) and the
 * EICAR anti-virus test string anywhere in the file. Not a malware scanner: what passes here is
 * still scanned by moderation-service, and a file this gate calls malware is sent there too
 * (so the verdict is audited and counted against the uploader).
 */
@ApplicationScoped
public class LocalScanner implements AttachmentScanner {

    static final byte[] EICAR = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Scan begin(String filename, String declaredContentType) {
        return new LocalScan(filename, declaredContentType);
    }

    static final class LocalScan implements Scan {

        private final String filename;
        private final String declared;
        private final byte[] head = new byte[ContentTypes.SNIFF_BYTES];
        private int headLen;
        /** The family the magic bytes announce ({@link ContentTypes#detect}). */
        private String detected;
        /** The declared type, once it agrees with the family and the extension. */
        private String claimed;
        private long total;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer chars = CharBuffer.allocate(8192);
        /** Undecoded bytes of a UTF-8 sequence cut by a buffer boundary (at most 3). */
        private ByteBuffer carry = ByteBuffer.allocate(0);
        /** The last bytes seen, so the EICAR string is found across buffer boundaries. */
        private byte[] tail = new byte[0];
        private boolean eicar;

        LocalScan(String filename, String declared) {
            this.filename = filename;
            this.declared = declared;
        }

        @Override
        public Verdict update(byte[] b, int off, int len) {
            if (len <= 0) {
                return null;
            }
            total += len;
            int i = 0;
            while (headLen < head.length && i < len) {
                head[headLen++] = b[off + i++];
            }
            if (detected == null && headLen == head.length) {
                Verdict v = decide(ContentTypes.detect(head, headLen));
                if (v != null) {
                    return v;
                }
            }
            searchEicar(b, off, len);
            if (ContentTypes.TEXT.equals(detected)) {
                String problem = text(b, off, len, false);
                if (problem != null) {
                    // Bytes of no allowed type: binary that does not start like any type on the list.
                    return Verdict.blocked("this kind of file is not accepted: " + ContentTypes.ACCEPTED + " ("
                            + problem + ")");
                }
            }
            return null;
        }

        @Override
        public Verdict finish() {
            if (total == 0) {
                return new Verdict(Kind.EMPTY, null, "the file is empty");
            }
            boolean shortFile = detected == null;
            if (shortFile) {
                // Shorter than the sniffing window: its bytes were never checked as text yet.
                Verdict v = decide(ContentTypes.detect(head, headLen));
                if (v != null) {
                    return v;
                }
            }
            if (ContentTypes.TEXT.equals(detected)) {
                String problem = shortFile ? text(head, 0, headLen, true) : text(new byte[0], 0, 0, true);
                if (problem != null) {
                    return Verdict.blocked("this kind of file is not accepted: " + ContentTypes.ACCEPTED + " ("
                            + problem + ")");
                }
            }
            if (eicar) {
                return Verdict.malware("the file holds the EICAR anti-virus test signature");
            }
            return Verdict.clean(claimed);
        }

        /** Sets the detected family, or rejects when the declared type or the extension disagree with it. */
        private Verdict decide(String type) {
            detected = type;
            String declaredType = ContentTypes.normalizeDeclared(declared);
            if (declaredType == null) {
                return Verdict.blocked("the declared content type is not accepted: " + ContentTypes.ACCEPTED);
            }
            // Windows declares a .csv as application/vnd.ms-excel when Excel is installed.
            if (ContentTypes.TEXT.equals(type) && ContentTypes.XLS.equals(declaredType)
                    && "csv".equals(FileNames.extension(filename))) {
                declaredType = ContentTypes.CSV;
            }
            if (!ContentTypes.family(declaredType).equals(type)) {
                return Verdict.blocked("the file is " + describe(type) + " but was sent as " + declaredType);
            }
            if (!ContentTypes.extensionFits(declaredType, filename)) {
                return Verdict.blocked("the file is " + describe(declaredType) + " but its name does not end in "
                        + String.join(" or ", ContentTypes.EXTENSIONS.get(declaredType).stream().map(e -> "." + e).toList()));
            }
            claimed = declaredType;
            return null;
        }

        private static String describe(String type) {
            return switch (type) {
                case ContentTypes.PNG -> "a PNG image";
                case ContentTypes.JPEG -> "a JPEG image";
                case ContentTypes.GIF -> "a GIF image";
                case ContentTypes.WEBP -> "a WebP image";
                case ContentTypes.PDF -> "a PDF document";
                case ContentTypes.CSV -> "a CSV file";
                case ContentTypes.ZIP -> "a zip archive (or an Office document)";
                case ContentTypes.DOCX -> "a Word document";
                case ContentTypes.XLSX -> "an Excel workbook";
                case ContentTypes.PPTX -> "a PowerPoint presentation";
                case ContentTypes.OLE2 -> "an Office 97-2003 file";
                case ContentTypes.DOC -> "a Word 97-2003 document";
                case ContentTypes.XLS -> "an Excel 97-2003 workbook";
                case ContentTypes.PPT -> "a PowerPoint 97-2003 presentation";
                default -> "plain text";
            };
        }

        /** Streams the bytes through a strict UTF-8 decoder; a reason when they are not text. */
        private String text(byte[] b, int off, int len, boolean end) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == 0) {
                    return "it holds NUL bytes";
                }
            }
            ByteBuffer in;
            if (carry.hasRemaining()) {
                in = ByteBuffer.allocate(carry.remaining() + len);
                in.put(carry).put(b, off, len).flip();
            } else {
                in = ByteBuffer.wrap(b, off, len);
            }
            while (true) {
                chars.clear();
                CoderResult r = utf8.decode(in, chars, end);
                if (r.isError()) {
                    return "it is not valid UTF-8";
                }
                if (r.isUnderflow()) {
                    break;
                }
            }
            if (end && in.hasRemaining()) {
                return "it is not valid UTF-8";
            }
            carry = ByteBuffer.allocate(in.remaining());
            carry.put(in).flip();
            return null;
        }

        private void searchEicar(byte[] b, int off, int len) {
            if (eicar) {
                return;
            }
            byte[] window = new byte[tail.length + len];
            System.arraycopy(tail, 0, window, 0, tail.length);
            System.arraycopy(b, off, window, tail.length, len);
            outer:
            for (int i = 0; i + EICAR.length <= window.length; i++) {
                for (int j = 0; j < EICAR.length; j++) {
                    if (window[i + j] != EICAR[j]) {
                        continue outer;
                    }
                }
                eicar = true;
                return;
            }
            int keep = Math.min(EICAR.length - 1, window.length);
            tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
        }
    }
}
