package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;

/**
 * The dispatch from a decoded instruction's mnemonic to its semantics, grouped as SDM Vol. 1
 * §7.3 groups the general-purpose instructions, plus the system instructions of SDM Vol. 3A.
 */
final class Executor {
    private Executor() {
    }

    static void execute(Cpu c, Instruction i) {
        switch (i.mnemonic()) {
            // data transfer
            case MOV -> DataTransfer.mov(c, i);
            case MOVSX -> DataTransfer.movsx(c, i);
            case MOVSXD -> DataTransfer.movsx(c, i);
            case MOVZX -> DataTransfer.movzx(c, i);
            case XCHG -> DataTransfer.xchg(c, i);
            case BSWAP -> DataTransfer.bswap(c, i);
            case XADD -> DataTransfer.xadd(c, i);
            case CMPXCHG -> DataTransfer.cmpxchg(c, i);
            case CMPXCHG8B, CMPXCHG16B -> DataTransfer.cmpxchgDouble(c, i);
            case PUSH -> DataTransfer.push(c, i);
            case POP -> DataTransfer.pop(c, i);
            case PUSHA -> DataTransfer.pusha(c, i);
            case POPA -> DataTransfer.popa(c, i);
            case CBW -> DataTransfer.cbw(c, i);
            case CWD -> DataTransfer.cwd(c, i);
            case MOVBE -> DataTransfer.movbe(c, i);
            case CMOVCC -> DataTransfer.cmov(c, i);
            case LEA -> DataTransfer.lea(c, i);
            case XLAT -> DataTransfer.xlat(c, i);
            // binary and decimal arithmetic
            case ADD, ADC, SUB, SBB, CMP -> BinaryArithmetic.addSub(c, i);
            case INC -> BinaryArithmetic.inc(c, i);
            case DEC -> BinaryArithmetic.dec(c, i);
            case NEG -> BinaryArithmetic.neg(c, i);
            case MUL -> BinaryArithmetic.mul(c, i);
            case IMUL -> BinaryArithmetic.imul(c, i);
            case DIV -> BinaryArithmetic.div(c, i);
            case IDIV -> BinaryArithmetic.idiv(c, i);
            case DAA -> DecimalArithmetic.daa(c);
            case DAS -> DecimalArithmetic.das(c);
            case AAA -> DecimalArithmetic.aaa(c);
            case AAS -> DecimalArithmetic.aas(c);
            case AAM -> DecimalArithmetic.aam(c, i);
            case AAD -> DecimalArithmetic.aad(c, i);
            // logical, shift, rotate, bit and byte
            case AND, OR, XOR, TEST -> Logical.logic(c, i);
            case NOT -> Logical.not(c, i);
            case SHL, SHR, SAR, ROL, ROR, RCL, RCR -> ShiftRotate.shift(c, i);
            case SHLD, SHRD -> ShiftRotate.doubleShift(c, i);
            case BT, BTS, BTR, BTC -> BitByte.bitTest(c, i);
            case BSF, BSR -> BitByte.bitScan(c, i);
            case TZCNT, LZCNT, POPCNT -> BitByte.count(c, i);
            case SETCC -> BitByte.setcc(c, i);
            // control transfer
            case JMP -> ControlTransfer.jmp(c, i);
            case JCC -> ControlTransfer.jcc(c, i);
            case JCXZ -> ControlTransfer.jcxz(c, i);
            case LOOP, LOOPE, LOOPNE -> ControlTransfer.loop(c, i);
            case CALL -> ControlTransfer.call(c, i);
            case RET -> ControlTransfer.ret(c, i);
            case ENTER -> ControlTransfer.enter(c, i);
            case LEAVE -> ControlTransfer.leave(c, i);
            case BOUND -> ControlTransfer.bound(c, i);
            case JMPF -> FarTransfer.jmpf(c, i);
            case CALLF -> FarTransfer.callf(c, i);
            case RETF -> FarTransfer.retf(c, i);
            case IRET -> InterruptReturn.iret(c, i);
            case INT -> c.delivery.softwareInterrupt((int) Operands.read(c, i.op1(), 1), InterruptDelivery.Source.SOFTWARE);
            case INT3 -> c.delivery.softwareInterrupt(Vector.BP, InterruptDelivery.Source.SOFTWARE_EXCEPTION);
            case INT1 -> c.delivery.softwareInterrupt(Vector.DB, InterruptDelivery.Source.PRIVILEGED_SOFTWARE);
            case INTO -> ControlTransfer.into(c);
            // strings and I/O
            case MOVS, CMPS, SCAS, LODS, STOS -> Strings.execute(c, i);
            case INS, OUTS -> InputOutput.string(c, i);
            case IN -> InputOutput.in(c, i);
            case OUT -> InputOutput.out(c, i);
            // flags
            case STC, CLC, CMC, STD, CLD, CLI, STI, CLAC, STAC -> FlagControl.set(c, i);
            case LAHF -> FlagControl.lahf(c);
            case SAHF -> FlagControl.sahf(c);
            case PUSHF -> FlagControl.pushf(c, i);
            case POPF -> FlagControl.popf(c, i);
            // segment registers
            case LDS, LES, LFS, LGS, LSS -> Segmentation.loadFarPointer(c, i);
            // miscellaneous
            case NOP, PAUSE, LFENCE, SFENCE, MFENCE, PREFETCH -> { }
            case CLFLUSH -> SystemInstructions.clflush(c, i);
            case UD0, UD1, UD2 -> throw CpuException.ud();
            case CPUID -> SystemInstructions.cpuid(c);
            // system
            case LGDT, LIDT -> SystemInstructions.loadDescriptorTable(c, i);
            case SGDT, SIDT -> SystemInstructions.storeDescriptorTable(c, i);
            case LLDT -> Segmentation.lldt(c, i);
            case LTR -> Segmentation.ltr(c, i);
            case SLDT, STR -> SystemInstructions.storeSystemSegment(c, i);
            case LMSW -> SystemInstructions.lmsw(c, i);
            case SMSW -> SystemInstructions.smsw(c, i);
            case CLTS -> SystemInstructions.clts(c);
            case ARPL -> Segmentation.arpl(c, i);
            case LAR, LSL -> Segmentation.larLsl(c, i);
            case VERR, VERW -> Segmentation.verify(c, i);
            case INVLPG -> SystemInstructions.invlpg(c, i);
            case INVD, WBINVD -> SystemInstructions.requireCpl0(c);
            case RDMSR -> SystemInstructions.rdmsr(c);
            case WRMSR -> SystemInstructions.wrmsr(c);
            case RDTSC -> SystemInstructions.rdtsc(c, false);
            case RDTSCP -> SystemInstructions.rdtsc(c, true);
            case RDPMC -> throw CpuException.gp(0); // no performance counters (CPUID.0AH absent)
            case HLT -> SystemInstructions.hlt(c);
            case MOV_CR -> ControlRegisters.mov(c, i);
            case MOV_DR -> ControlRegisters.movDebug(c, i);
            case SYSCALL -> FastSystemCall.syscall(c, i);
            case SYSRET -> FastSystemCall.sysret(c, i);
            case SYSENTER -> FastSystemCall.sysenter(c);
            case SYSEXIT -> FastSystemCall.sysexit(c, i);
            case SWAPGS -> FastSystemCall.swapgs(c);
            // x87 FPU, MMX, SSE, SSE2, SSE3 and their state (SDM 1 Chapters 8-12)
            default -> {
                if (X87Executor.handles(i.mnemonic())) {
                    X87Executor.execute(c, i);
                } else {
                    SimdExecutor.execute(c, i);
                }
            }
        }
    }
}
