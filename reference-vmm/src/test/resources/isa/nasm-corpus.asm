; Corpus for NasmCorpusTest: NASM assembles it (-f bin), the listing gives each line's bytes,
; our decoder must find the same length and our encoder reproduce the bytes.
bits 16
    mov ax, [bx+si]
    mov ax, [bp+di+0x10]
    mov ax, [bp]
    mov al, [0x1234]
    mov [si-2], cl
    mov word [di+0x1000], 0x1234
    mov eax, [ebx+ecx*4+8]
    add ax, 1
    add ax, 0x1234
    add byte [bx], 0x80
    sub sp, 0x10
    push cs
    push ds
    pop es
    pusha
    popa
    pushf
    popfd
    int 0x10
    int3
    into
    iret
    iretd
    retf
    retf 4
    ret
    ret 6
    call 0x1234:0x5678
    jmp 0x1234:0x5678
    jmp dword 0x08:0x12345678
    call far [bx]
    jmp far [si+4]
    lds si, [bx]
    les di, [bp+6]
    mov ds, ax
    mov ax, es
    mov [bx], ss
    lgdt [0x7e00]
    lidt [bx]
    lmsw ax
    smsw ax
    arpl [bx], ax
    aaa
    aas
    daa
    das
    aam
    aam 16
    aad
    xlatb
    in al, 0x60
    in ax, dx
    out 0x80, al
    out dx, eax
    insb
    outsw
    rep movsb
    rep stosw
    repne scasb
    repe cmpsd
    lodsd
    cbw
    cwd
    cwde
    cdq
    enter 16, 0
    leave
    loop $
    jcxz $+2
    jecxz $+3
    bound ax, [bx]
    nop
    ; x87 and SSE in 16-bit code
    fld dword [bx+si]
    fstp qword [bp+2]
    fnstenv [bx]
    fnsave [di]
    fldcw [0x1234]
    fadd st0, st3
    addps xmm1, [si]
    movss xmm0, [bx+4]
    cvtsi2sd xmm2, eax
    movd xmm3, [bx]
    pxor mm1, mm2
bits 32
    mov eax, [esp]
    mov eax, [ebp]
    mov eax, [esp+ebp*2+0x100]
    mov eax, [0x12345678]
    mov eax, [eax*4]
    mov al, [0x1000]
    mov [0x1000], eax
    mov ax, [bx+si]
    mov byte [ecx], 1
    mov dword [edx+4], 0xdeadbeef
    movzx eax, byte [esi]
    movzx eax, word [esi]
    movsx ecx, dl
    movsx cx, dl
    lea eax, [ebx+ecx*8-4]
    lea ax, [bx+di]
    xchg eax, ebx
    xchg [eax], cl
    lock xadd [eax], ebx
    lock cmpxchg [ecx], edx
    lock cmpxchg8b [edi]
    lock inc dword [eax]
    lock bts dword [eax], 3
    bswap edx
    movbe eax, [ecx]
    movbe [ecx], ax
    imul eax, ebx
    imul eax, ebx, 10
    imul eax, ebx, 1000
    imul dword [eax]
    mul cl
    div ecx
    idiv word [ebx]
    neg eax
    not byte [eax]
    adc eax, 0x7f
    sbb al, 0xff
    and dword [eax], -1
    or ecx, 0x80
    xor esi, esi
    cmp byte [esp+4], 0
    test eax, 0x10000
    test cl, dl
    shl eax, 1
    shr ebx, 4
    sar dword [eax], cl
    rol ax, 3
    ror byte [ebx], 1
    rcl edx, cl
    rcr eax, 7
    shld eax, ebx, 5
    shrd [eax], edx, cl
    bt eax, ebx
    btr [eax], ecx
    btc eax, 31
    bsf eax, [ebx]
    bsr edx, eax
    tzcnt eax, ecx
    lzcnt eax, ecx
    popcnt eax, [edx]
    cmovz eax, ebx
    cmovnle cx, [esi]
    setc al
    setnz byte [eax]
    jo $+0x10
    jnz near $+0x1000
    jmp $
    jmp short $+4
    call $+0x100
    call eax
    call [eax+4]
    jmp [ebx]
    jmp ecx
    call far [eax]
    jmp far [eax]
    push dword 0x12345678
    push byte -1
    push word 0x10
    push esi
    push dword [eax]
    pop dword [ecx]
    push fs
    pop gs
    push es
    lahf
    sahf
    clc
    stc
    cmc
    cld
    std
    cli
    sti
    hlt
    nop
    pause
    nop dword [eax]
    nop word [eax+eax+0]
    ud2
    ud1 eax, [ebx]
    cpuid
    rdtsc
    rdtscp
    rdmsr
    wrmsr
    rdpmc
    invd
    wbinvd
    clts
    invlpg [eax]
    lgdt [eax]
    sgdt [ebx]
    lidt [ecx]
    sidt [edx]
    lldt ax
    sldt eax
    ltr word [eax]
    str eax
    lar eax, ecx
    lsl eax, [ebx]
    verr ax
    verw word [eax]
    mov eax, cr0
    mov cr3, eax
    mov cr4, ebx
    mov eax, dr7
    mov dr0, ecx
    sysenter
    sysexit
    lfence
    mfence
    sfence
    clflush [eax]
    prefetchnta [eax]
    prefetcht0 [ebx]
    prefetcht1 [ecx]
    prefetcht2 [edx]
    clac
    stac
    int1
    lss esp, [eax]
    lfs eax, [ebx]
    lgs ax, [ecx]
    mov fs, ax
    fs mov eax, [ebx]
    es lodsb
    movsd
    cmpsw
    scasd
    stosb
    insd
    outsb
    xlatb
    iretd
    iret
    enter 0x100, 1
    aam
    das
    ; x87 (SDM 2 Tables A-7 to A-22)
    fld dword [eax]
    fld qword [ebx+ecx*8]
    fld tword [esp+4]
    fld st1
    fild word [eax]
    fild dword [eax]
    fild qword [eax]
    fist word [eax]
    fistp qword [eax]
    fisttp dword [eax]
    fbld [eax]
    fbstp [eax]
    fst dword [eax]
    fstp tword [eax]
    fstp st3
    fxch st2
    fadd dword [eax]
    fadd qword [eax]
    fadd st0, st2
    fadd st2, st0
    faddp st1, st0
    fiadd word [eax]
    fiadd dword [eax]
    fsub st0, st1
    fsub st1, st0
    fsubr st1, st0
    fsubp st1, st0
    fsubrp st1, st0
    fdiv st3, st0
    fdivr st3, st0
    fdivp st3, st0
    fdivrp st3, st0
    fmul qword [eax]
    fimul dword [eax]
    fidivr word [eax]
    fcom st1
    fcomp dword [eax]
    fcompp
    fucom st4
    fucomp st4
    fucompp
    ficom word [eax]
    ficomp dword [eax]
    fcomi st0, st1
    fcomip st0, st2
    fucomi st0, st3
    fucomip st0, st4
    fcmovb st0, st1
    fcmovnbe st0, st7
    fcmovu st0, st2
    fcmovnu st0, st2
    ftst
    fxam
    fld1
    fldl2t
    fldl2e
    fldpi
    fldlg2
    fldln2
    fldz
    f2xm1
    fyl2x
    fptan
    fpatan
    fxtract
    fprem1
    fdecstp
    fincstp
    fprem
    fyl2xp1
    fsqrt
    fsincos
    frndint
    fscale
    fsin
    fcos
    fchs
    fabs
    fnop
    ffree st5
    fnclex
    fninit
    fnstcw [eax]
    fldcw [eax]
    fnstsw [eax]
    fnstsw ax
    fnstenv [eax]
    fldenv [eax]
    fnsave [eax]
    frstor [eax]
    fwait
    ; SSE/SSE2/SSE3 (SDM 2 Table A-3)
    movaps xmm0, [eax]
    movups [eax], xmm7
    movapd xmm1, xmm2
    movss xmm0, xmm1
    movsd xmm0, [eax]
    movsd [eax], xmm0
    movlps xmm0, [eax]
    movhlps xmm0, xmm1
    movhpd [eax], xmm3
    movlhps xmm1, xmm2
    movmskps eax, xmm1
    movmskpd edx, xmm7
    addps xmm0, xmm1
    addsd xmm0, [eax]
    subss xmm0, [eax]
    mulpd xmm2, [eax+16]
    divss xmm0, xmm1
    sqrtpd xmm0, xmm1
    rsqrtss xmm0, xmm1
    rcpps xmm0, [eax]
    maxsd xmm0, xmm1
    minps xmm0, xmm1
    cmpltps xmm0, xmm1
    cmpsd xmm0, [eax], 7
    comiss xmm0, xmm1
    ucomisd xmm0, [eax]
    andps xmm0, xmm1
    andnpd xmm0, xmm1
    orps xmm0, xmm1
    xorpd xmm0, xmm0
    shufps xmm0, xmm1, 0x1b
    shufpd xmm0, xmm1, 1
    unpcklps xmm0, xmm1
    unpckhpd xmm0, [eax]
    cvtsi2ss xmm0, eax
    cvtsi2sd xmm0, [eax]
    cvtss2si eax, xmm0
    cvttsd2si eax, [eax]
    cvtss2sd xmm0, xmm1
    cvtsd2ss xmm0, [eax]
    cvtdq2ps xmm0, xmm1
    cvtps2dq xmm0, xmm1
    cvttps2dq xmm0, xmm1
    cvtdq2pd xmm0, xmm1
    cvtpd2dq xmm0, xmm1
    cvttpd2dq xmm0, xmm1
    cvtps2pd xmm0, [eax]
    cvtpd2ps xmm0, xmm1
    cvtpi2ps xmm0, mm1
    cvtps2pi mm0, xmm1
    cvttpd2pi mm0, [eax]
    movd xmm0, eax
    movd [eax], xmm1
    movq xmm0, [eax]
    movq [eax], xmm1
    movq xmm0, xmm1
    movdqa xmm0, [eax]
    movdqu [eax], xmm1
    movq2dq xmm0, mm1
    movdq2q mm0, xmm1
    pshufd xmm0, xmm1, 0x4e
    pshuflw xmm0, xmm1, 1
    pshufhw xmm0, [eax], 2
    pshufw mm0, mm1, 3
    punpcklbw xmm0, xmm1
    punpckhqdq xmm0, xmm1
    punpcklqdq xmm0, [eax]
    packsswb xmm0, xmm1
    packuswb mm0, mm1
    packssdw xmm0, xmm1
    paddb xmm0, xmm1
    paddq mm0, mm1
    paddusw xmm0, [eax]
    psubsb xmm0, xmm1
    psubq xmm0, xmm1
    pmullw xmm0, xmm1
    pmulhw mm0, mm1
    pmulhuw xmm0, xmm1
    pmuludq xmm0, xmm1
    pmaddwd xmm0, xmm1
    pcmpeqb xmm0, xmm1
    pcmpgtd mm0, [eax]
    pand xmm0, xmm1
    pandn xmm0, xmm1
    por mm0, mm1
    pxor xmm0, xmm1
    psllw xmm0, xmm1
    psllw xmm0, 3
    psrad mm0, 4
    psrlq xmm0, [eax]
    pslldq xmm0, 8
    psrldq xmm0, 1
    pminub xmm0, xmm1
    pmaxsw mm0, mm1
    pavgb xmm0, xmm1
    pavgw xmm0, xmm1
    psadbw xmm0, xmm1
    pextrw eax, xmm1, 3
    pinsrw xmm1, eax, 2
    pinsrw xmm1, [eax], 2
    pmovmskb eax, xmm1
    pmovmskb eax, mm1
    maskmovdqu xmm0, xmm1
    maskmovq mm0, mm1
    movntps [eax], xmm0
    movntpd [eax], xmm0
    movntdq [eax], xmm0
    movnti [eax], eax
    movntq [eax], mm0
    emms
    ldmxcsr [eax]
    stmxcsr [eax]
    fxsave [eax]
    fxrstor [eax]
    lddqu xmm0, [eax]
    addsubps xmm0, xmm1
    addsubpd xmm0, xmm1
    haddps xmm0, xmm1
    hsubpd xmm0, xmm1
    movshdup xmm0, xmm1
    movsldup xmm0, [eax]
    movddup xmm0, xmm1
bits 64
    mov rax, [rsp]
    mov rax, [rbp]
    mov rax, [r12]
    mov rax, [r13]
    mov rax, [r8+r9*8+0x100]
    mov r15d, [rsi+r15*2]
    mov eax, [rel here]
here:
    mov rax, [0x1000]
    mov rax, 0x1122334455667788
    mov eax, 0x80000000
    mov rax, -1
    mov r8b, al
    mov sil, dil
    mov ah, bh
    mov al, [abs qword 0x1122334455667788]
    mov [abs qword 0x1000], rax
    movsxd rax, ecx
    movsxd rdx, dword [rbx]
    movsx rax, byte [rcx]
    movzx r10, word [rdx]
    add rax, rbx
    add r9, 0x7f
    add qword [rax], 0x12345678
    sub rsp, 8
    and r11d, 0xff
    xor r12, r12
    cmp qword [rsp+8], 0
    test r8, r8
    lea rax, [rel here]
    lea r8, [rax+rbx]
    push rax
    push r15
    push qword [rax]
    pop r10
    push 0x10
    push fs
    pop gs
    pushfq
    popfq
    call rax
    call [rax]
    jmp r11
    jmp near $
    jz near $+0x100
    loop $
    jrcxz $
    jecxz $
    ret
    retf
    o64 retf
    iretq
    iret
    cdqe
    cqo
    movsq
    rep stosq
    lodsq
    scasb
    cmpxchg16b [rdi]
    lock cmpxchg16b [rsi]
    lock cmpxchg8b [rsi]
    xchg rax, r8
    xchg r9, rax
    bswap r9
    bswap rax
    imul r8, r9, 5
    shl r8, cl
    rol qword [rax], 1
    bts r9, 60
    tzcnt rax, [rbx]
    popcnt r8w, r9w
    movbe rax, [rcx]
    cmovb r8, r9
    seto r8b
    syscall
    sysret
    o64 sysret
    sysexit
    o64 sysexit
    swapgs
    rdtscp
    mov rax, cr3
    mov cr8, rax
    mov cr4, rbx
    mov rax, dr6
    lgdt [rax]
    lidt [rbx]
    sgdt [rcx]
    ltr ax
    invlpg [rdi]
    lahf
    sahf
    in eax, dx
    out dx, al
    insb
    outsd
    hlt
    nop
    nop dword [rax+rax+0]
    nop word [rax+rax+0]
    pause
    ud2
    int3
    int 0x80
    lfence
    clflush [rax]
    fs mov rax, [rbx]
    gs inc dword [rcx]
    call far [rax]
    jmp far [rbx]
    enter 8, 0
    leave
    ; x87 and SSE in 64-bit mode: REX extends XMM registers, REX.W widens GPR operands
    fld tword [rel $+0x100]
    fnstenv [r8]
    fxsave64 [rax]
    fxrstor64 [r9+8]
    fxsave [rsp]
    addps xmm8, xmm15
    movaps xmm9, [r10+r11*2+0x40]
    movsd xmm10, [rel $+0x20]
    cvtsi2sd xmm11, rax
    cvtsi2ss xmm1, qword [rbx]
    cvttsd2si r12, xmm13
    cvtss2si rax, [rcx]
    movq rax, xmm1
    movq xmm14, r15
    movd xmm14, r15d
    movmskpd r8d, xmm9
    pmovmskb r9d, xmm10
    pextrw r10d, xmm11, 7
    pinsrw xmm12, r13d, 1
    movnti [rax], r8
    pxor xmm15, xmm0
    psrlq xmm8, 63
    pslldq xmm13, 15
    paddd xmm8, [rax+rcx*8]
    movdqu xmm0, [r12]
    lddqu xmm9, [rax]
    movq mm0, [r8]
    pxor mm1, mm2
    ldmxcsr [rsp+4]
