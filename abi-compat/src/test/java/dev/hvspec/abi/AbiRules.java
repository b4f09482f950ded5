package dev.hvspec.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The stable-ABI rules of api.rst §3 ("no backward incompatible change are allowed" since
 * 2.6.22), checked between the facts of an older and a newer release:
 * <ol>
 *   <li><b>moved</b>: a member present in both keeps its offset; it may only grow into space
 *       that was reserved before (and never shrink), unless it is itself reserved space;</li>
 *   <li><b>new-field</b>: a new member lies entirely in old reserved space: bytes of a member
 *       named as padding ({@code pad*}, {@code padding*}, {@code reserved*}, {@code dummy}),
 *       bytes no member covered, or past the old end of a struct whose size is negotiated at run
 *       time (only {@code kvm_run}, whose size comes from KVM_GET_VCPU_MMAP_SIZE). New padding
 *       members are always allowed;</li>
 *   <li><b>code</b>: an ioctl present in both keeps its request code; since the code holds
 *       {@code sizeof} the argument, a struct that changes size needs a new ioctl number.</li>
 * </ol>
 * Structs and ioctls that exist in only one of the two releases are not compared.
 */
final class AbiRules {
    private static final Pattern RESERVED = Pattern.compile("(pad|padding|reserved|dummy)\\d*");
    private static final Set<String> RUNTIME_SIZED = Set.of("kvm_run");

    /** One broken rule: which rule, where, and what happened. */
    record Violation(String rule, String where, String detail) {
        @Override
        public String toString() {
            return rule + " " + where + ": " + detail;
        }
    }

    private AbiRules() {
    }

    static List<Violation> check(AbiFacts older, AbiFacts newer) {
        List<Violation> out = new ArrayList<>();
        for (var entry : older.members().entrySet()) {
            String struct = entry.getKey();
            Map<String, AbiFacts.Extent> now = newer.members().get(struct);
            if (now == null) {
                continue;
            }
            Map<String, AbiFacts.Extent> then = entry.getValue();
            long oldSize = older.sizes().get(struct);
            for (var m : then.entrySet()) {
                AbiFacts.Extent before = m.getValue();
                AbiFacts.Extent after = now.get(m.getKey());
                if (after == null || reserved(m.getKey())) {
                    continue;
                }
                String where = struct + "." + m.getKey();
                if (after.offset() != before.offset()) {
                    out.add(new Violation("moved", where, "offset " + before.offset() + " -> " + after.offset()));
                } else if (after.size() < before.size()) {
                    out.add(new Violation("moved", where, "shrank " + before.size() + " -> " + after.size()));
                } else if (after.size() > before.size()
                        && !inReserved(struct, then, oldSize, before.end(), after.end())) {
                    out.add(new Violation("moved", where, "grew " + before.size() + " -> " + after.size()
                            + " over bytes that were in use"));
                }
            }
            for (var m : now.entrySet()) {
                if (then.containsKey(m.getKey()) || reserved(m.getKey())) {
                    continue;
                }
                AbiFacts.Extent e = m.getValue();
                if (e.size() > 0 && !inReserved(struct, then, oldSize, e.offset(), e.end())) {
                    out.add(new Violation("new-field", struct + "." + m.getKey(),
                            "bytes [" + e.offset() + ", " + e.end() + ") were not reserved in the older release"));
                }
            }
        }
        for (var c : older.constants().entrySet()) {
            Long now = newer.constants().get(c.getKey());
            if (now != null && !now.equals(c.getValue())) {
                out.add(new Violation("code", c.getKey(), c.getValue() + " -> " + now));
            }
        }
        return out;
    }

    private static boolean reserved(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
        return RESERVED.matcher(last).matches();
    }

    /** Whether every byte of {@code [from, to)} was reserved in the older layout. */
    private static boolean inReserved(String struct, Map<String, AbiFacts.Extent> then, long oldSize,
                                      long from, long to) {
        for (long b = from; b < to; b++) {
            if (b >= oldSize) {
                if (!RUNTIME_SIZED.contains(struct)) {
                    return false;
                }
                continue;
            }
            if (!reservedByte(then, b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean reservedByte(Map<String, AbiFacts.Extent> then, long b) {
        boolean covered = false;
        for (var m : then.entrySet()) {
            AbiFacts.Extent e = m.getValue();
            if (b >= e.offset() && b < e.end()) {
                if (reserved(m.getKey())) {
                    return true;
                }
                covered = true;
            }
        }
        return !covered;
    }
}
