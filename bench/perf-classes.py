#!/usr/bin/env python3
# Classifies the samples of a perf profile of a Java peer into where the CPU goes on the data
# path (BENCHMARKS.md, "The wire's data path"): JIT and GC threads by name; arraycopy leaves as
# user-space copies (named by their Java caller); any ChaCha20/Poly1305 frame (the JDK's or
# OpenSSL's, any frame in libcrypto) as the cipher; the
# kernel's TCP send and receive; park/futex/epoll/scheduler; then the leaf's owner.
#
# usage: java ... -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer ... &
#        perf record -e cpu-clock -F 1999 -g -p <pid> -o x.perf -- sleep 20
#        perf script -i x.perf | bench/perf-classes.py [N]     (N: also the N commonest leaves)
import collections
import re
import sys

cats = collections.Counter(); comms = collections.Counter(); leaf = collections.Counter()
n = 0
def classify(comm, frames):
    s = frames  # leaf first
    j = ' | '.join(s)
    if comm.startswith('C2 Compiler') or comm.startswith('C1 Compiler') or 'CompileBroker' in j: return 'jit-compiler'
    if 'GC Thread' in comm or comm.startswith('VM Thread') or 'SerialHeap' in j or 'DefNewGeneration' in j: return 'gc'
    if 'finalstubs' in s[0] or 'arraycopy' in s[0] or 'memmove' in s[0]:
        caller = next((f for f in s[1:] if '(' in f and 'Stub' not in f), '?')
        m = re.search(r'([\w$.<>]+)\(', caller); return 'copies (user) <- ' + (m.group(1) if m else caller)[-80:]
    # the JDK's cipher (ChaCha20Cipher, Poly1305) or OpenSSL's (ChaCha20_ctr32_*, poly1305_*, EVP_Cipher*)
    if 'chacha20' in j.lower() or 'poly1305' in j.lower() or 'EVP_Cipher' in j or 'libcrypto' in j: return 'cipher'
    if any(k in j for k in ('tcp_sendmsg', 'sock_write_iter', 'sock_sendmsg', '__sys_sendto', 'do_writev', 'ksys_write')): return 'kernel-send'
    if any(k in j for k in ('tcp_recvmsg', 'sock_read_iter', 'sock_recvmsg', 'ksys_read', 'do_readv')): return 'kernel-recv'
    if any(k in j for k in ('futex', 'schedule', 'epoll', 'finish_task_switch', 'try_to_wake_up', 'ttwu', '__x64_sys_sched', 'unpark', 'Unsafe_Park', 'pthread_cond')): return 'wakeups/park/epoll'
    if any(k in j for k in ('ResourceLeakDetector', 'fill_in_stack_trace', 'Throwable')): return 'leak-detector'
    if 'arraycopy' in j or 'finalstubs' in s[0] or 'memmove' in s[0] or 'getBytes' in j and 'stubs' in s[0]: return 'copies (user)'
    if 'AdaptivePoolingAllocator' in s[0] or 'AdaptiveByteBuf' in s[0] or 'ByteBufAllocator' in j and 'Allocator' in s[0]: return 'netty-alloc'
    if 'io.ggen.p2p.mux.yamux' in s[0]: return 'yamux (self)'
    if 'io.netty' in s[0]: return 'netty (self)'
    if s[0].startswith('[k]') or re.match(r'^[a-z_0-9.]+$', s[0]): return 'kernel-other'
    if s[0].startswith('Interpreter'): return 'interpreter'
    return 'other'
cur = None; frames = []; comm = ''
def flush():
    global n
    if cur is None: return
    n += 1
    c = classify(comm, frames if frames else ['?'])
    cats[c] += 1; comms[comm] += 1
    leaf[(c, frames[0] if frames else '?')] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); cur = None; frames = []; continue
    if not line.startswith((' ', '\t')):
        cur = line; m = re.match(r'^\s*(.+?)\s+\d+(/\d+)?\s+', line); comm = m.group(1) if m else '?'
        continue
    parts = line.strip().split(' ', 1)
    sym = parts[1] if len(parts) > 1 else parts[0]
    # OpenSSL's assembly has no symbols perf can name ([unknown]): keep the library's name instead
    lib = 'libcrypto ' if 'libcrypto' in sym else ''
    sym = re.sub(r'\s*\(\S*\)$', '', sym)
    frames.append(lib + sym)
flush()
print('samples', n)
for k, v in cats.most_common(): print(f'{v*100/n:6.1f}%  {k}')
print('-- threads'); [print(f'{v*100/n:6.1f}%  {k}') for k, v in comms.most_common(10)]
if len(sys.argv) > 1:
    print('-- leaves'); [print(f'{v*100/n:6.1f}%  {k[0]:20s} {k[1][:150]}') for k, v in leaf.most_common(int(sys.argv[1]))]
