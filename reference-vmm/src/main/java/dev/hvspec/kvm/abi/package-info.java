/**
 * The KVM userspace ABI of Linux {@code include/uapi/linux/kvm.h} and
 * {@code arch/x86/include/uapi/asm/kvm.h} for x86-64, API version 12, as data.
 *
 * <ul>
 *   <li>{@link dev.hvspec.kvm.abi.IoctlEncoding}: request codes computed the way
 *       {@code <asm-generic/ioctl.h>} does; {@link dev.hvspec.kvm.abi.KvmIoctl}: the table of
 *       ioctls (fd kind, direction, number, argument).</li>
 *   <li>{@link dev.hvspec.kvm.abi.StructLayout}: C struct/union layouts computed from their
 *       declarations with the x86-64 System V rules; {@link dev.hvspec.kvm.abi.StructView}:
 *       little-endian, byte-exact access to a field by dotted path.</li>
 *   <li>{@link dev.hvspec.kvm.abi.KvmCap}, {@link dev.hvspec.kvm.abi.KvmExitReason},
 *       {@link dev.hvspec.kvm.abi.KvmConstants}, {@link dev.hvspec.kvm.abi.Errno}: the numbers.</li>
 *   <li>{@link dev.hvspec.kvm.abi.KernelProfile}: which ioctls and capabilities each kernel
 *       release has.</li>
 *   <li>{@link dev.hvspec.kvm.abi.AbiDump}: every fact as one line, checked against gcc and the
 *       real header by the abi-compat module.</li>
 * </ul>
 * Everything here is immutable; nothing here depends on the kernel layer that uses it.
 */
package dev.hvspec.kvm.abi;
