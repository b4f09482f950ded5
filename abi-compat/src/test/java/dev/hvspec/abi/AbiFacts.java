package dev.hvspec.abi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dump (or golden file) parsed back into sizes, member extents and constants. */
record AbiFacts(Map<String, Long> sizes, Map<String, Map<String, Extent>> members, Map<String, Long> constants) {
    /** Where a member lies: bytes {@code [offset, offset + size)}. */
    record Extent(long offset, long size) {
        long end() {
            return offset + size;
        }
    }

    static AbiFacts parse(List<String> lines) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Map<String, Extent>> members = new LinkedHashMap<>();
        Map<String, Long> constants = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "size" -> {
                    sizes.put(f[1], Long.parseLong(f[2]));
                    members.put(f[1], new LinkedHashMap<>());
                }
                case "offset" -> {
                    int dot = f[1].indexOf('.');
                    members.get(f[1].substring(0, dot))
                            .put(f[1].substring(dot + 1), new Extent(Long.parseLong(f[2]), Long.parseLong(f[3])));
                }
                case "const" -> constants.put(f[1], Long.parseLong(f[2]));
                default -> throw new IllegalArgumentException("not a fact: " + line);
            }
        }
        return new AbiFacts(sizes, members, constants);
    }
}
