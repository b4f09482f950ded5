/**
 * The VMX non-root side of the processor model: the VM-execution controls the processor honours
 * while it runs a guest ({@link dev.hvspec.machine.vmx.VmExecutionControls}), and the VM exits it
 * takes to the hypervisor ({@link dev.hvspec.machine.vmx.GuestExits}) — the subset of SDM 3C
 * chapters 25-29 that memory virtualisation needs: the exception bitmap and page-fault error-code
 * mask/match (§25.6.3), CR3-load and INVLPG exiting (§25.6.2, §26.1.3), the CR0/CR4 guest/host
 * masks (§25.6.6), EPT (§29.3) and, as a second nested-table format, AMD nested paging (APM vol. 2
 * §15.25).
 *
 * <p>Exits the kernel layer handles without going to userspace are modelled as synchronous calls
 * from the hardware into {@link dev.hvspec.machine.vmx.GuestExits}: returning
 * {@link dev.hvspec.machine.vmx.ExitResolution.Resume} is VM entry resuming the access exactly
 * where a re-executed instruction would reach it again (no architectural state was committed
 * for it); throwing a {@link dev.hvspec.machine.cpu.CpuException} is event injection; throwing a
 * {@link dev.hvspec.machine.cpu.VmExit} leaves guest mode for userspace.
 */
package dev.hvspec.machine.vmx;
