package dev.hvspec.kvm.abi;

import static dev.hvspec.kvm.abi.CType.Scalar.U8;
import static dev.hvspec.kvm.abi.StructLayout.struct;
import static dev.hvspec.kvm.abi.StructLayout.union;

/**
 * Interrupt controller, PIT, IRQ routing and eventfd structs of the KVM ABI for x86-64
 * (Linux 6.1 {@code linux/kvm.h} and {@code asm/kvm.h}), as data.
 */
public final class KvmIrqStructs {
    private KvmIrqStructs() {
    }

    /**
     * KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS (api.rst §4.25): {@code status} shares the word of
     * {@code irq} so that KVM_IRQ_LINE_STATUS can return the delivery result in place.
     */
    public static final StructLayout KVM_IRQ_LEVEL = struct("kvm_irq_level")
            .anonymous(union(null).u32("irq").s32("status").build())
            .u32("level")
            .build();

    /** One 8259A's state in KVM_GET_IRQCHIP / KVM_SET_IRQCHIP (api.rst §4.26). */
    public static final StructLayout KVM_PIC_STATE = struct("kvm_pic_state")
            .u8("last_irr").u8("irr").u8("imr").u8("isr").u8("priority_add").u8("irq_base")
            .u8("read_reg_select").u8("poll").u8("special_mask").u8("init_state").u8("auto_eoi")
            .u8("rotate_on_auto_eoi").u8("special_fully_nested_mode").u8("init4").u8("elcr")
            .u8("elcr_mask")
            .build();

    /** {@code KVM_IOAPIC_NUM_PINS}. */
    public static final int KVM_IOAPIC_NUM_PINS = 24;

    /**
     * An I/O APIC redirection table entry: the 64-bit register, or its fields as bit-fields
     * (82093AA datasheet §3.2.4 layout: vector, delivery mode, … destination in bits 56-63).
     */
    public static final StructLayout KVM_IOAPIC_REDIRECTION_ENTRY = union(null)
            .u64("bits")
            .field("fields", struct(null)
                    .u8("vector")
                    .bits("delivery_mode", U8, 3).bits("dest_mode", U8, 1).bits("delivery_status", U8, 1)
                    .bits("polarity", U8, 1).bits("remote_irr", U8, 1).bits("trig_mode", U8, 1)
                    .bits("mask", U8, 1).bits("reserve", U8, 7)
                    .u8("reserved", 4).u8("dest_id")
                    .build())
            .build();

    /** The I/O APIC's state in KVM_GET_IRQCHIP / KVM_SET_IRQCHIP. */
    public static final StructLayout KVM_IOAPIC_STATE = struct("kvm_ioapic_state")
            .u64("base_address").u32("ioregsel").u32("id").u32("irr").u32("pad")
            .field("redirtbl", KVM_IOAPIC_REDIRECTION_ENTRY, KVM_IOAPIC_NUM_PINS)
            .build();

    /** KVM_GET_IRQCHIP / KVM_SET_IRQCHIP (api.rst §4.26, §4.27): chip_id selects the union member. */
    public static final StructLayout KVM_IRQCHIP = struct("kvm_irqchip")
            .u32("chip_id").u32("pad")
            .field("chip", union(null)
                    .chars("dummy", 512).field("pic", KVM_PIC_STATE).field("ioapic", KVM_IOAPIC_STATE)
                    .build())
            .build();

    /** KVM_CREATE_PIT2 (api.rst §4.71). */
    public static final StructLayout KVM_PIT_CONFIG = struct("kvm_pit_config")
            .u32("flags").u32("pad", 15)
            .build();

    /** One 8254 counter (api.rst §4.72). */
    public static final StructLayout KVM_PIT_CHANNEL_STATE = struct("kvm_pit_channel_state")
            .u32("count").u16("latched_count").u8("count_latched").u8("status_latched").u8("status")
            .u8("read_state").u8("write_state").u8("write_latch").u8("rw_mode").u8("mode").u8("bcd")
            .u8("gate").s64("count_load_time")
            .build();

    /** KVM_GET_PIT / KVM_SET_PIT (KVM_CAP_PIT, 2.6.26). */
    public static final StructLayout KVM_PIT_STATE = struct("kvm_pit_state")
            .field("channels", KVM_PIT_CHANNEL_STATE, 3)
            .build();

    /** KVM_GET_PIT2 / KVM_SET_PIT2 (api.rst §4.72, §4.73). */
    public static final StructLayout KVM_PIT_STATE2 = struct("kvm_pit_state2")
            .field("channels", KVM_PIT_CHANNEL_STATE, 3).u32("flags").u32("reserved", 9)
            .build();

    /** KVM_REINJECT_CONTROL (api.rst §4.99). */
    public static final StructLayout KVM_REINJECT_CONTROL = struct("kvm_reinject_control")
            .u8("pit_reinject").u8("reserved", 31)
            .build();

    public static final StructLayout KVM_IRQ_ROUTING_IRQCHIP = struct("kvm_irq_routing_irqchip")
            .u32("irqchip").u32("pin")
            .build();

    public static final StructLayout KVM_IRQ_ROUTING_MSI = struct("kvm_irq_routing_msi")
            .u32("address_lo").u32("address_hi").u32("data")
            .anonymous(union(null).u32("pad").u32("devid").build())
            .build();

    public static final StructLayout KVM_IRQ_ROUTING_S390_ADAPTER = struct("kvm_irq_routing_s390_adapter")
            .u64("ind_addr").u64("summary_addr").u64("ind_offset").u32("summary_offset").u32("adapter_id")
            .build();

    public static final StructLayout KVM_IRQ_ROUTING_HV_SINT = struct("kvm_irq_routing_hv_sint")
            .u32("vcpu").u32("sint")
            .build();

    public static final StructLayout KVM_IRQ_ROUTING_XEN_EVTCHN = struct("kvm_irq_routing_xen_evtchn")
            .u32("port").u32("vcpu").u32("priority")
            .build();

    /** One GSI route (api.rst §4.52): {@code type} selects the member of {@code u}. */
    public static final StructLayout KVM_IRQ_ROUTING_ENTRY = struct("kvm_irq_routing_entry")
            .u32("gsi").u32("type").u32("flags").u32("pad")
            .field("u", union(null)
                    .field("irqchip", KVM_IRQ_ROUTING_IRQCHIP).field("msi", KVM_IRQ_ROUTING_MSI)
                    .field("adapter", KVM_IRQ_ROUTING_S390_ADAPTER).field("hv_sint", KVM_IRQ_ROUTING_HV_SINT)
                    .field("xen_evtchn", KVM_IRQ_ROUTING_XEN_EVTCHN).u32("pad", 8)
                    .build())
            .build();

    /** KVM_SET_GSI_ROUTING (api.rst §4.52). */
    public static final StructLayout KVM_IRQ_ROUTING = struct("kvm_irq_routing")
            .u32("nr").u32("flags").flex("entries", KVM_IRQ_ROUTING_ENTRY)
            .build();

    /** KVM_SIGNAL_MSI (api.rst §4.71). */
    public static final StructLayout KVM_MSI = struct("kvm_msi")
            .u32("address_lo").u32("address_hi").u32("data").u32("flags").u32("devid").u8("pad", 12)
            .build();

    /** KVM_IRQFD (api.rst §4.75). */
    public static final StructLayout KVM_IRQFD = struct("kvm_irqfd")
            .u32("fd").u32("gsi").u32("flags").u32("resamplefd").u8("pad", 16)
            .build();

    /** KVM_IOEVENTFD (api.rst §4.59). */
    public static final StructLayout KVM_IOEVENTFD = struct("kvm_ioeventfd")
            .u64("datamatch").u64("addr").u32("len").s32("fd").u32("flags").u8("pad", 36)
            .build();

    /** KVM_(UN)REGISTER_COALESCED_MMIO (api.rst §4.116). */
    public static final StructLayout KVM_COALESCED_MMIO_ZONE = struct("kvm_coalesced_mmio_zone")
            .u64("addr").u32("size")
            .anonymous(union(null).u32("pad").u32("pio").build())
            .build();

    /** One record of the coalesced MMIO ring, the page at KVM_COALESCED_MMIO_PAGE_OFFSET of the vCPU mmap. */
    public static final StructLayout KVM_COALESCED_MMIO = struct("kvm_coalesced_mmio")
            .u64("phys_addr").u32("len")
            .anonymous(union(null).u32("pad").u32("pio").build())
            .u8("data", 8)
            .build();

    public static final StructLayout KVM_COALESCED_MMIO_RING = struct("kvm_coalesced_mmio_ring")
            .u32("first").u32("last").flex("coalesced_mmio", KVM_COALESCED_MMIO)
            .build();
}
