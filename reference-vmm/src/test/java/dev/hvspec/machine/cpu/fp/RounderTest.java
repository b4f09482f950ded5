package dev.hvspec.machine.cpu.fp;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact-arithmetic core against an independent oracle: the JVM's IEEE 754 binary64 and
 * binary32 arithmetic (round to nearest, ties to even, gradual underflow; JLS §15.4), and for the
 * directed modes the neighbours of the JVM's result chosen by comparing exact BigDecimal values.
 */
@Tag("sdm-1-4.8.4")
class RounderTest {
    private final Random random = new Random(42);

    private double randomDouble() {
        return switch (random.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(random.nextLong() & 0x000F_FFFF_FFFF_FFFFL | (random.nextBoolean() ? Long.MIN_VALUE : 0)); // denormal
            case 1 -> Double.longBitsToDouble(random.nextLong() & ~0x7FF0_0000_0000_0000L | (0x7FEL - random.nextInt(3)) << 52); // huge
            case 2 -> Double.longBitsToDouble(random.nextLong() & ~0x7FF0_0000_0000_0000L | (1L + random.nextInt(60)) << 52); // near the bottom
            default -> (random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(80) - 40);
        };
    }

    private static double directed(double nearest, BigDecimal exact, Rounding rc) {
        if (Double.isInfinite(nearest) || Double.isNaN(nearest)) {
            return nearest;
        }
        int cmp = new BigDecimal(nearest).compareTo(exact);
        return switch (rc) {
            case NEAREST_EVEN -> nearest;
            case UP -> cmp < 0 ? Math.nextUp(nearest) : nearest;
            case DOWN -> cmp > 0 ? Math.nextDown(nearest) : nearest;
            case TOWARD_ZERO -> exact.signum() >= 0 ? directed(nearest, exact, Rounding.DOWN)
                    : directed(nearest, exact, Rounding.UP);
        };
    }

    @Test
    void doubleArithmeticMatchesTheJvmInEveryRoundingMode() {
        for (int n = 0; n < 20_000; n++) {
            double a = randomDouble();
            double b = randomDouble();
            Unpacked ua = Unpacked.ofDouble(Double.doubleToRawLongBits(a));
            Unpacked ub = Unpacked.ofDouble(Double.doubleToRawLongBits(b));
            for (int op = 0; op < 4; op++) {
                if (op == 3 && b == 0) {
                    continue;
                }
                double nearest = switch (op) {
                    case 0 -> a + b;
                    case 1 -> a * b;
                    case 2 -> Math.sqrt(Math.abs(a));
                    default -> a / b;
                };
                Exact exact = switch (op) {
                    case 0 -> Exact.add(ua, ub);
                    case 1 -> Exact.multiply(ua, ub);
                    case 2 -> Exact.sqrt(ua.withSign(false));
                    default -> Exact.divide(ua, ub);
                };
                if (exact.isZero()) {
                    continue;
                }
                BigDecimal exactValue = switch (op) {
                    case 0 -> new BigDecimal(a).add(new BigDecimal(b));
                    case 1 -> new BigDecimal(a).multiply(new BigDecimal(b));
                    default -> null;
                };
                for (Rounding rc : Rounding.values()) {
                    if (exactValue == null && rc != Rounding.NEAREST_EVEN) {
                        continue;
                    }
                    double expected = exactValue == null ? nearest : directed(nearest, exactValue, rc);
                    Rounder.Rounded r = exact.round(FloatFormat.DOUBLE, rc);
                    long ours = r.value().toDouble();
                    if (!(Double.isInfinite(expected) && rc != Rounding.NEAREST_EVEN)) {
                        assertThat(Double.longBitsToDouble(ours)).as("%s op%d %s %s", rc, op, a, b).isEqualTo(expected);
                    }
                    if (exactValue != null && !r.overflow()) {
                        assertThat(r.inexact()).isEqualTo(new BigDecimal(Double.longBitsToDouble(ours)).compareTo(exactValue) != 0);
                    }
                }
            }
        }
    }

    @Test
    void singleArithmeticMatchesTheJvm() {
        for (int n = 0; n < 20_000; n++) {
            float a = (float) randomDouble();
            float b = (float) randomDouble();
            if (Float.isInfinite(a) || Float.isInfinite(b)) {
                continue;
            }
            Unpacked ua = Unpacked.ofSingle(Float.floatToRawIntBits(a));
            Unpacked ub = Unpacked.ofSingle(Float.floatToRawIntBits(b));
            Exact sum = Exact.add(ua, ub);
            if (!sum.isZero()) {
                assertThat(Float.intBitsToFloat(sum.round(FloatFormat.SINGLE, Rounding.NEAREST_EVEN).value().toSingle()))
                        .isEqualTo(a + b);
            }
            Exact product = Exact.multiply(ua, ub);
            if (!product.isZero()) {
                assertThat(Float.intBitsToFloat(product.round(FloatFormat.SINGLE, Rounding.NEAREST_EVEN).value().toSingle()))
                        .isEqualTo(a * b);
            }
            if (b != 0 && a != 0) {
                assertThat(Float.intBitsToFloat(Exact.divide(ua, ub).round(FloatFormat.SINGLE, Rounding.NEAREST_EVEN).value().toSingle()))
                        .isEqualTo(a / b);
            }
        }
    }

    @Test
    void encodingsRoundTrip() {
        for (int n = 0; n < 10_000; n++) {
            long bits = random.nextLong();
            Unpacked u = Unpacked.ofDouble(bits);
            assertThat(u.toDouble()).isEqualTo(bits);
            int s = random.nextInt();
            assertThat(Unpacked.ofSingle(s).toSingle()).isEqualTo(s);
            Extended80 x = new Extended80(random.nextInt(0x10000), random.nextLong() | Long.MIN_VALUE);
            if (x.biasedExponent() != 0) {
                assertThat(Unpacked.ofExtended(x).toExtended()).isEqualTo(x);
            }
        }
    }
}
