package dev.hvspec.machine.cpu;

import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bare processor on 1 MiB (or more) of RAM at guest-physical 0, with an I/O bus that records
 * OUTs to port 0xE9 (a debug console) and answers INs with a fixed pattern. Code is assembled by
 * nasm, an independent assembler, so these tests do not depend on our own encoder.
 */
final class CpuHarness implements CpuBus {
    final HostMemory host = new HostMemory();
    final HostMemory.Region ram;
    final MemorySlots slots = new MemorySlots();
    final Cpu cpu;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final List<String> io = new ArrayList<>();

    CpuHarness(int ramBytes) {
        ram = host.mmap(ramBytes, "ram");
        slots.put(0, new MemorySlot(0, 0, ramBytes, ram, ram.base(), false, null));
        cpu = new Cpu(new SlotPhysicalMemory(slots), this);
    }

    static boolean nasmAvailable() {
        try {
            Process p = new ProcessBuilder("nasm", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static byte[] nasm(String source) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hvspec-nasm");
        Path src = dir.resolve("t.asm");
        Path out = dir.resolve("t.bin");
        Files.writeString(src, source);
        Process p = new ProcessBuilder("nasm", "-f", "bin", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalArgumentException("nasm failed: " + log);
        }
        return Files.readAllBytes(out);
    }

    void load(long gpa, byte[] bytes) {
        ram.buffer().put((int) gpa, bytes);
    }

    long u32(long gpa) {
        return ram.buffer().getInt((int) gpa) & 0xFFFF_FFFFL;
    }

    /** Real mode at 0000:7C00 (as a boot sector would start). */
    void startReal(long ip) {
        cpu.state().reset();
        cpu.state().cs().load(0, 0, 0xFFFF, cpu.state().cs().attributes);
        cpu.state().rip = ip;
        cpu.stateChanged();
    }

    CpuExit runToHalt() {
        CpuExit exit = cpu.run(10_000_000);
        return exit;
    }

    @Override
    public int ioRead(int port, int size) {
        io.add(String.format("in %x/%d", port, size));
        return 0x5A5A5A5A;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        io.add(String.format("out %x/%d=%x", port, size, value));
        if (port == 0xE9) {
            console.write(value);
        }
    }

    @Override
    public long mmioRead(long address, int size) {
        io.add(String.format("mmio-read %x/%d", address, size));
        return -1L;
    }

    @Override
    public void mmioWrite(long address, int size, long value) {
        io.add(String.format("mmio-write %x/%d=%x", address, size, value));
    }

    @Override
    public boolean exitRequested() {
        return false;
    }
}
