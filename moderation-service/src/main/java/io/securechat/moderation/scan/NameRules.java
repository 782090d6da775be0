package io.securechat.moderation.scan;

import java.util.Locale;
import java.util.Set;

/**
 * What a file's name says before a byte is read: programs, scripts and macro-enabled Office
 * files are refused by name as well as by content (a browser or the OS decides how to open a
 * download by its extension). Applies to an upload's name and to every entry inside an archive.
 */
public final class NameRules {

    /** Native programs, installers and their kin: Windows runs them on a double click. */
    static final Set<String> EXECUTABLE = Set.of("exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "sys",
            "drv", "ocx", "jar", "apk", "app", "lnk", "gadget", "application", "appx", "msix", "elf", "run",
            "dmg", "pkg", "deb", "rpm", "class", "xbap", "xll");

    /** Scripts a double click or a shell runs. */
    static final Set<String> SCRIPT = Set.of("js", "jse", "vbs", "vbe", "vb", "wsf", "wsh", "ws", "wsc", "ps1", "psm1",
            "psd1", "ps1xml", "psc1", "bat", "cmd", "sh", "bash", "zsh", "csh", "ksh", "hta", "py", "pyw", "pyc", "pl",
            "rb", "php", "jsp", "asp", "aspx", "cgi", "scf", "inf", "reg", "msc", "url", "sct", "mht", "mhtml",
            "settingcontent-ms", "library-ms", "iqy", "slk", "applescript", "command", "desktop");

    /** Office formats that carry VBA: refused by name alone. */
    static final Set<String> MACRO = Set.of("docm", "dotm", "xlsm", "xltm", "xlam", "xla", "pptm", "potm", "ppam",
            "ppsm", "sldm");

    /** Archives and disk images the scanner cannot open (inside a zip: the scan would stop at their door). */
    static final Set<String> CONTAINER = Set.of("rar", "7z", "gz", "tgz", "tar", "bz2", "tbz2", "xz", "txz", "zst",
            "cab", "arj", "lzh", "lha", "ace", "iso", "img", "vhd", "vhdx", "vmdk", "wim", "z");

    private NameRules() {}

    /** The lower-case extension after the last dot (and after the last path separator), or null. */
    public static String extension(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        // Trailing dots and spaces: Windows drops them, so "x.exe." opens as x.exe.
        while (n.endsWith(".") || n.endsWith(" ")) {
            n = n.substring(0, n.length() - 1);
        }
        int dot = n.lastIndexOf('.');
        if (dot <= 0 || dot == n.length() - 1) {
            return null;
        }
        return n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Why an upload's name is unusable, or null: 1..255 characters, no path, no control characters. */
    public static String filenameProblem(String filename) {
        if (filename == null || filename.isBlank()) {
            return "a file name is required";
        }
        if (filename.codePointCount(0, filename.length()) > 255) {
            return "the file name is longer than 255 characters";
        }
        if (filename.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
            return "the file name must not hold control characters or path separators";
        }
        return null;
    }

    /** The rejection a name alone earns (program, script, macro-enabled document, opaque container), or null. */
    static ScanVerdict byName(String name, boolean insideArchive) {
        String ext = extension(name);
        if (ext == null) {
            return null;
        }
        String in = insideArchive ? "the archive holds " : "this is ";
        if (MACRO.contains(ext)) {
            return ScanVerdict.malware(ScanVerdict.MACRO, in + "a macro-enabled Office file (." + ext
                    + "); save it without macros (.docx, .xlsx, .pptx) and send that");
        }
        if (EXECUTABLE.contains(ext)) {
            return ScanVerdict.blocked(ScanVerdict.EXECUTABLE, in + "a program (." + ext + "): programs cannot be sent");
        }
        if (SCRIPT.contains(ext)) {
            return ScanVerdict.blocked(ScanVerdict.SCRIPT, in + "a script (." + ext + "): scripts cannot be sent");
        }
        if (insideArchive && CONTAINER.contains(ext)) {
            return ScanVerdict.blocked(ScanVerdict.ARCHIVE_UNSUPPORTED, "the archive holds another kind of archive (." + ext
                    + ") that cannot be checked; send its files in a plain zip");
        }
        return null;
    }
}
