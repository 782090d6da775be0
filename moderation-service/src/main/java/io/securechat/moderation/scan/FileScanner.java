package io.securechat.moderation.scan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in checks of one file held in memory (at most {@code chat.scan.max-bytes}), cheapest
 * first; the first finding is the verdict. Pure and thread-safe: ClamAV, audit and metrics are
 * {@link ScanService}'s. Order: the name (programs, scripts, macro-enabled Office), signatures
 * over the raw bytes (EICAR and the list), what the magic bytes say (programs and scripts again,
 * whatever the name), the type against the allow-list, the extension and the declared type,
 * then what only opening the file shows (archive contents, zip bombs, VBA in OLE2 files).
 */
public final class FileScanner {

    private final ScanConfig config;
    private final Signatures signatures;
    private final Set<FileType> allowed;
    private final ArchiveInspector archives;

    public FileScanner(ScanConfig config, Signatures signatures) {
        this.config = config;
        this.signatures = signatures;
        this.allowed = config.allowedTypes().stream().map(m -> {
            FileType t = FileType.ofMime(m);
            if (t == null) {
                throw new IllegalArgumentException("chat.scan.allowed-types: unknown type " + m + "; known: "
                        + java.util.Arrays.stream(FileType.values()).map(FileType::mime).collect(Collectors.joining(", ")));
            }
            return t;
        }).collect(Collectors.toUnmodifiableSet());
        this.archives = new ArchiveInspector(config.archive(), config.maxBytes(), signatures);
    }

    public Signatures signatures() {
        return signatures;
    }

    /**
     * @param filename the name the user gave (already checked by {@link NameRules#filenameProblem})
     * @param declared the Content-Type the user's client declared; null, blank or
     *        {@code application/octet-stream} when it declared nothing useful
     */
    public ScanVerdict scan(String filename, String declared, byte[] data) {
        if (data.length == 0) {
            return ScanVerdict.badRequest(ScanVerdict.EMPTY, "the file is empty");
        }
        if (data.length > config.maxBytes()) {
            return tooLarge(config.maxBytes());
        }
        ScanVerdict byName = NameRules.byName(filename, false);
        if (byName != null) {
            return byName;
        }
        String declaredType = declared == null ? "" : declared.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (declaredType.contains("macroenabled") || declaredType.equals("application/vnd.ms-office.vbaproject")) {
            return ScanVerdict.malware(ScanVerdict.MACRO, "this is a macro-enabled Office file; save it without macros "
                    + "(.docx, .xlsx, .pptx) and send that");
        }
        Signatures.Signature found = signatures.matcher().update(data, 0, data.length);
        if (found != null) {
            return signatureVerdict(found, false);
        }
        Magic magic = Magic.of(data, Math.min(data.length, Magic.HEAD));
        FileType type;
        List<String> oleNames = null;
        switch (magic) {
            case EXECUTABLE:
                return ScanVerdict.blocked(ScanVerdict.EXECUTABLE, "this file is a program: programs cannot be sent");
            case SCRIPT:
                return ScanVerdict.blocked(ScanVerdict.SCRIPT, "this file is a script: scripts cannot be sent");
            case OTHER_ARCHIVE:
                return ScanVerdict.blocked(ScanVerdict.TYPE_NOT_ALLOWED,
                        "this kind of archive cannot be checked; send the files in a plain zip");
            case PNG:
                type = FileType.PNG;
                break;
            case JPEG:
                type = FileType.JPEG;
                break;
            case GIF:
                type = FileType.GIF;
                break;
            case WEBP:
                type = FileType.WEBP;
                break;
            case PDF:
                type = FileType.PDF;
                break;
            case ZIP:
                try {
                    type = zipType(ZipDirectory.read(data));
                } catch (ZipDirectory.Unreadable u) {
                    return u.verdict;
                }
                break;
            case OLE2:
                try {
                    oleNames = Ole2.names(data);
                } catch (Ole2.Malformed m) {
                    return ScanVerdict.blocked(ScanVerdict.MALFORMED, "the Office file is damaged and cannot be checked");
                }
                type = Ole2.officeType(oleNames);
                if (type == null) {
                    return ScanVerdict.blocked(ScanVerdict.TYPE_NOT_ALLOWED, "this kind of file is not accepted: "
                            + acceptedKinds());
                }
                break;
            default:
                if (!isText(data)) {
                    return ScanVerdict.blocked(ScanVerdict.TYPE_NOT_ALLOWED, "this kind of file is not accepted: "
                            + acceptedKinds());
                }
                type = "csv".equals(NameRules.extension(filename)) ? FileType.CSV : FileType.TEXT;
        }
        if (!allowed.contains(type)) {
            return ScanVerdict.blocked(ScanVerdict.TYPE_NOT_ALLOWED, "the file is " + type.description()
                    + ", which is not accepted: " + acceptedKinds()).withContentType(type);
        }
        if (!type.fitsExtension(NameRules.extension(filename))) {
            return ScanVerdict.blocked(ScanVerdict.TYPE_MISMATCH, "the file is " + type.description()
                    + " but its name does not end in " + type.extensions().stream().map(e -> "." + e)
                            .collect(Collectors.joining(" or "))).withContentType(type);
        }
        if (!declaredType.isEmpty() && !declaredType.equals("application/octet-stream") && !type.fitsDeclared(declared)) {
            return ScanVerdict.blocked(ScanVerdict.TYPE_MISMATCH, "the file is " + type.description() + " but was sent as "
                    + printable(declaredType)).withContentType(type);
        }
        ScanVerdict deep = switch (type) {
            case ZIP, DOCX, XLSX, PPTX -> archives.inspect(data, 1, new ArchiveInspector.Budget());
            case DOC, XLS, PPT -> Ole2.hasVba(oleNames) ? ScanVerdict.malware(ScanVerdict.MACRO,
                    "the document contains macros (a VBA project); save it without macros and send that") : null;
            default -> null;
        };
        return deep != null ? deep.withContentType(type) : ScanVerdict.clean(type);
    }

    /** A zip is an OOXML document when it has a content-types part and the application's folder. */
    static FileType zipType(List<ZipDirectory.Entry> entries) {
        boolean contentTypes = entries.stream().anyMatch(e -> e.name().equals("[Content_Types].xml"));
        if (contentTypes) {
            for (ZipDirectory.Entry e : entries) {
                if (e.name().startsWith("word/")) {
                    return FileType.DOCX;
                }
                if (e.name().startsWith("xl/")) {
                    return FileType.XLSX;
                }
                if (e.name().startsWith("ppt/")) {
                    return FileType.PPTX;
                }
            }
        }
        return FileType.ZIP;
    }

    static ScanVerdict signatureVerdict(Signatures.Signature s, boolean insideArchive) {
        String where = insideArchive ? "a file in the archive" : "the file";
        if (Signatures.EICAR_NAME.equals(s.name())) {
            return ScanVerdict.malware(ScanVerdict.EICAR, where + " holds the EICAR anti-virus test signature");
        }
        return ScanVerdict.malware(ScanVerdict.SIGNATURE_PREFIX + s.name(), where + " matches a known malware signature ("
                + s.name() + ")");
    }

    ScanVerdict tooLarge(long max) {
        return ScanVerdict.tooLarge(ScanVerdict.TOO_LARGE, "the file is larger than " + (max % (1 << 20) == 0
                ? max / (1 << 20) + " MiB" : max + " bytes"));
    }

    private String acceptedKinds() {
        return allowed.stream().sorted().map(t -> t.extensions().getFirst()).collect(Collectors.joining(", ")) + " files are";
    }

    /** UTF-8 all the way through (a BOM is fine), no NUL bytes; decoded through a small buffer, not into a copy. */
    static boolean isText(byte[] data) {
        for (byte b : data) {
            if (b == 0) {
                return false;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            out.clear();
            CoderResult r = utf8.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            if (r.isUnderflow()) {
                out.clear();
                return !utf8.flush(out).isError() && !in.hasRemaining();
            }
        }
    }

    /** A declared type quoted back to the user: short and printable only. */
    private static String printable(String s) {
        String p = s.codePoints().filter(c -> c >= 0x20 && c < 0x7F).limit(80)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return p.isEmpty() ? "an unknown type" : p;
    }
}
