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
