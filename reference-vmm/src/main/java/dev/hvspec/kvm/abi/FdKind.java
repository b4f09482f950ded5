package dev.hvspec.kvm.abi;

/**
 * The kinds of KVM file descriptor an ioctl is issued on (api.rst §1, §2): the system fd from
 * {@code open("/dev/kvm")}, a VM fd from KVM_CREATE_VM, a vCPU fd from KVM_CREATE_VCPU.
 * Request numbers repeat across kinds (nr 0x9F is KVM_GET_PIT2 on a VM fd and
 * KVM_GET_VCPU_EVENTS on a vCPU fd), so a dispatcher needs both the code and the kind.
 */
public enum FdKind {
    SYSTEM, VM, VCPU
}
