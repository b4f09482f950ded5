package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;
import dev.hvspec.machine.cpu.fp.Unpacked;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where the SDM does not define one exact result, what the host-CPU comparison accepts instead:
 * <ul>
 *   <li>x87 transcendentals (SDM 1 §8.3.10: within one unit in the last place): result registers
 *       within 1 ulp of the host's, and then PE, UE and C1 (which describe the rounding) may
 *       differ;</li>
 *   <li>F2XM1 outside −1 ≤ x ≤ 1 and FYL2XP1 outside |x| &lt; 1 − √2/2: the result is undefined
 *       (SDM 2 F2XM1, FYL2XP1), so the result register and the flags are not compared;</li>
 *   <li>RCPPS/RCPSS/RSQRTPS/RSQRTSS: each computed element must be within the SDM's bound of
 *       1.5 × 2^−12 relative error of the exact reciprocal (square root), checked here with
 *       BigDecimal arithmetic, and equal to the host's where that is not a finite nonzero number.</li>
 * </ul>
 */
final class FpuTolerance {
    private FpuTolerance() {
    }

    static final Set<Mnemonic> TRANSCENDENTAL = EnumSet.of(Mnemonic.FSIN, Mnemonic.FCOS, Mnemonic.FSINCOS,
            Mnemonic.FPTAN, Mnemonic.FPATAN, Mnemonic.F2XM1, Mnemonic.FYL2X, Mnemonic.FYL2XP1);
    static final Set<Mnemonic> APPROXIMATE = EnumSet.of(Mnemonic.RCPPS, Mnemonic.RCPSS, Mnemonic.RSQRTPS,
            Mnemonic.RSQRTSS);

    /** FSW bits that describe the rounding of a result: PE, UE, C1. */
    private static final int ROUNDING_BITS = 0x20 | 0x10 | 0x200;

    /** The differences that remain after the tolerance for {@code m}. */
    static List<String> remaining(Mnemonic m, FpuCase in, FpuCase host, FpuCase ours, List<String> diff) {
        if (TRANSCENDENTAL.contains(m)) {
            return transcendental(m, in, host, ours, diff);
        }
        if (APPROXIMATE.contains(m)) {
            return approximate(m, in, host, ours, diff);
        }
        return diff;
    }

    private static Unpacked st(FpuCase c, int i) {
        return Unpacked.ofExtended(Extended80.fromBytes(c.fx(), 32 + 16 * i));
    }

    private static List<String> transcendental(Mnemonic m, FpuCase in, FpuCase host, FpuCase ours, List<String> diff) {
        int fswHost = (host.fx()[2] & 0xFF) | (host.fx()[3] & 0xFF) << 8;
        int fswOurs = (ours.fx()[2] & 0xFF) | (ours.fx()[3] & 0xFF) << 8;
        Unpacked x = st(in, 0);
        boolean undefined = m == Mnemonic.F2XM1 && x.isFinite() && x.msbExponent() >= 0
                && !(x.msbExponent() == 0 && x.significand().bitCount() == 1)
                || m == Mnemonic.FYL2XP1 && x.isFinite() && x.msbExponent() >= -2
                && x.toBigDecimal().abs().compareTo(new BigDecimal("0.2928932188134524")) >= 0;
        if (undefined) {
            // The SDM leaves the result undefined: the register stack and the flags may differ.
            return diff.stream().filter(d -> !(d.startsWith("ST") || d.startsWith("FSW") || d.startsWith("FTW"))).toList();
        }
        boolean close = true;
        for (String d : diff) {
            if (d.startsWith("ST")) {
                int i = d.charAt(2) - '0';
                close &= undefined || withinOneUlp(st(host, i), st(ours, i));
            } else if (d.startsWith("FSW")) {
                int mask = undefined ? 0x3F | 0x4700 : ROUNDING_BITS;
                close &= ((fswHost ^ fswOurs) & ~mask & ~0x8080) == 0; // ES/B follow the flags
            } else {
                close = false;
            }
        }
        return close ? List.of() : diff;
    }

    static boolean withinOneUlp(Unpacked a, Unpacked b) {
        if (!a.isFinite() || !b.isFinite()) {
            // Only a finite number and the largest/smallest neighbour across zero/∞ could be
            // 1 ulp apart; require equality otherwise.
            return a.toExtended().equals(b.toExtended()) || a.isZero() && b.isFinite() && b.msbExponent() < -16382
                    || b.isZero() && a.isFinite() && a.msbExponent() < -16382;
        }
        // One unit in the last place of the larger: 2^(e − 63), but not below the denormal step 2^−16445.
        int ulpExponent = Math.max(Math.max(a.msbExponent(), b.msbExponent()) - 63, -16445);
        BigDecimal ulp = Unpacked.finite(false, java.math.BigInteger.ONE, ulpExponent).toBigDecimal();
        return a.toBigDecimal().subtract(b.toBigDecimal()).abs().compareTo(ulp) <= 0;
    }

    private static List<String> approximate(Mnemonic m, FpuCase in, FpuCase host, FpuCase ours, List<String> diff) {
        boolean sqrt = m == Mnemonic.RSQRTPS || m == Mnemonic.RSQRTSS;
        for (String d : diff) {
            if (!d.startsWith("XMM")) {
                return diff;
            }
            int reg = Integer.parseInt(d.substring(3, d.indexOf(' ')));
            for (int k = 0; k < 4; k++) {
                int at = 160 + 16 * reg + 4 * k;
                int h = java.nio.ByteBuffer.wrap(host.fx(), at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                int o = java.nio.ByteBuffer.wrap(ours.fx(), at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                if (h == o) {
                    continue;
                }
                Unpacked hu = Unpacked.ofSingle(h);
                Unpacked ou = Unpacked.ofSingle(o);
                if (!hu.isFinite() || !ou.isFinite() || hu.denormal() || ou.denormal()) {
                    return diff;
                }
                // The source value is the one whose reciprocal the host's element approximates.
                BigDecimal hv = hu.toBigDecimal();
                BigDecimal ov = ou.toBigDecimal();
                BigDecimal relative = hv.subtract(ov).abs().divide(hv.abs(), MathContext.DECIMAL64);
                // Both within 1.5·2^-12 of the exact value means within 3·2^-12 of each other.
                if (relative.compareTo(BigDecimal.valueOf(3.0 / 4096)) > 0) {
                    return diff;
                }
            }
        }
        return List.of();
    }
}
