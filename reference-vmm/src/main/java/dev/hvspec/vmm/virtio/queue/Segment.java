package dev.hvspec.vmm.virtio.queue;

/**
 * One physically contiguous element of a buffer: {@code length} bytes at guest-physical
 * {@code address}, device-readable or device-writable (virtio 1.3 §2.7.5 "each descriptor
 * describes a buffer which is read-only for the device ... or write-only for the device").
 */
public record Segment(long address, long length, boolean writable) {
}
