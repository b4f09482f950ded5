/**
 * Pure floating-point semantics of the x87 FPU and the SSE/SSE2/SSE3 units, with no processor
 * state: the data formats of SDM Vol. 1 §4.2.2 and §4.8 (single, double, double extended),
 * exact arithmetic with rounding under a rounding-control field and a precision (SDM 1 §4.8.4,
 * §8.1.5.2-3), the exception flags of §4.9 with the masked responses, and the x87 and SSE rules
 * for NaN operands (§4.8.3.5, Table 4-7).
 *
 * <p>Numbers are decoded into {@link dev.hvspec.machine.cpu.fp.Unpacked} values: finite values are
 * exact ({@code significand × 2^exponent} with a {@link java.math.BigInteger} significand), and
 * every operation computes the exact result (or enough bits of it plus a sticky bit) before
 * {@link dev.hvspec.machine.cpu.fp.Rounder} rounds it once to the destination. Java's
 * {@code float}/{@code double} arithmetic is never used: it knows only round-to-nearest and
 * reports no flags.
 */
package dev.hvspec.machine.cpu.fp;
