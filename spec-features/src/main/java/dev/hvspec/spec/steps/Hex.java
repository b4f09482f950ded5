package dev.hvspec.spec.steps;

/** Byte strings in scenarios: {@code 0x11121314} or {@code 11 12 13}. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        String h = hex.replace("0x", "").replace(" ", "").replace("_", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String of(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }
}
