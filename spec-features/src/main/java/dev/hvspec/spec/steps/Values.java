package dev.hvspec.spec.steps;

/** Number parsing for step arguments: {@code 0x3F8}, {@code 1016}, {@code 0b1010}. */
final class Values {
    private Values() {
    }

    static long parse(String text) {
        String t = text.strip().replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        if (t.startsWith("0b")) {
            return Long.parseUnsignedLong(t.substring(2), 2);
        }
        return Long.parseLong(t);
    }

    static int parseInt(String text) {
        return (int) parse(text);
    }

    static String hex(long value) {
        return String.format("0x%02X", value);
    }

    /** Turns {@code "Hi\n"}-style escapes of a Gherkin string into the characters. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'x' -> {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
