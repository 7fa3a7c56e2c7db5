#!/usr/bin/env python3
"""Which live buffers keep Netty's adaptive allocator's chunks, and who holds those buffers.

    scripts/heap-pins.py DUMP.hprof

DUMP is a heap dump of a node (jcmd <pid> GC.heap_dump <file>; live objects only, the default).
Prints Netty's AdaptivePoolingAllocator chunks (heap or direct, size class) by what holds them: a
magazine's current chunk (thread-local, with its thread, or a shared stripe), a cache, or only
the buffers carved from them. Buffers still allocated (an AdaptiveByteBuf's `chunk` field is
cleared when it is released) are walked through their referrers (slices, deques, arrays, maps)
to the nearest io.ggen owner, and counted per owner path with the chunks they keep.
"""
import collections
import struct
import sys

BASIC = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
ROOT_SIZES = {0xff: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16,
              0x89: 8, 0x8a: 8, 0x8b: 8, 0x8d: 8, 0x8e: 16, 0x90: 8}


class Heap:
    def __init__(self, path):
        f = open(path, 'rb').read()
        i = f.index(b'\0') + 1
        if struct.unpack('>I', f[i:i + 4])[0] != 8:
            raise SystemExit('heap-pins: only 8-byte identifiers are supported')
        i += 12
        self.f = f
        strings = {}
        self.class_name = {}      # class id -> name
        self.class_info = {}      # class id -> (super id, [(field name, type)])
        self.statics = {}         # class id -> [(name, object id)]
        self.inst = {}            # object id -> (class id, offset, length)
        self.arrays = {}          # object id -> (class id, offset, count)
        self.prim = {}            # object id -> (type, count)
        self.roots = {}           # object id -> root kind
        while i < len(f):
            tag = f[i]
            ln = struct.unpack('>I', f[i + 5:i + 9])[0]
            body = i + 9
            i = body + ln
            if tag == 0x01:
                sid = struct.unpack('>Q', f[body:body + 8])[0]
                strings[sid] = f[body + 8:body + ln].decode('utf8', 'replace')
            elif tag == 0x02:
                _, cid, _, nid = struct.unpack('>IQIQ', f[body:body + 24])
                self.class_name[cid] = strings.get(nid, '?').replace('/', '.')
            elif tag in (0x0c, 0x1c):
                self._segment(f, body, body + ln, strings)

    def _segment(self, f, j, end, strings):
        while j < end:
            st = f[j]
            j += 1
            if st in ROOT_SIZES:
                oid = struct.unpack('>Q', f[j:j + 8])[0]
                self.roots.setdefault(oid, 'root 0x%02x' % st)
                j += ROOT_SIZES[st]
            elif st == 0x20:
                cid = struct.unpack('>Q', f[j:j + 8])[0]
                sup = struct.unpack('>Q', f[j + 12:j + 20])[0]
                j += 8 + 4 + 8 * 6 + 4
                ncp = struct.unpack('>H', f[j:j + 2])[0]
                j += 2
                for _ in range(ncp):
                    t = f[j + 2]
                    j += 3 + BASIC[t]
                nst = struct.unpack('>H', f[j:j + 2])[0]
                j += 2
                st_refs = []
                for _ in range(nst):
                    nid = struct.unpack('>Q', f[j:j + 8])[0]
                    t = f[j + 8]
                    if t == 2:
                        v = struct.unpack('>Q', f[j + 9:j + 17])[0]
                        if v:
                            st_refs.append((strings.get(nid, '?'), v))
                    j += 9 + BASIC[t]
                nif = struct.unpack('>H', f[j:j + 2])[0]
                j += 2
                fields = []
                for _ in range(nif):
                    nid = struct.unpack('>Q', f[j:j + 8])[0]
                    fields.append((strings.get(nid, '?'), f[j + 8]))
                    j += 9
                self.class_info[cid] = (sup, fields)
                self.statics[cid] = st_refs
            elif st == 0x21:
                oid, _, cid, n = struct.unpack('>QIQI', f[j:j + 24])
                j += 24
                self.inst[oid] = (cid, j, n)
                j += n
            elif st == 0x22:
                oid, _, n, cid = struct.unpack('>QIIQ', f[j:j + 24])
                j += 24
                self.arrays[oid] = (cid, j, n)
                j += 8 * n
            elif st == 0x23:
                oid, _, n, t = struct.unpack('>QIIB', f[j:j + 17])
                j += 17
                self.prim[oid] = (t, n, j)
                j += n * BASIC[t]
            else:
                raise SystemExit('heap-pins: unknown heap dump sub-record 0x%x' % st)

    def all_fields(self, cid, _cache={}):
        if cid in _cache:
            return _cache[cid]
        out = []
        c = cid
        while c in self.class_info:
            sup, fields = self.class_info[c]
            out += fields
            c = sup
        _cache[cid] = out
        return out

    def fields(self, oid):
        """(name, type, value) of an instance's fields, subclass first."""
        cid, off, _ = self.inst[oid]
        for name, t in self.all_fields(cid):
            size = BASIC[t]
            raw = self.f[off:off + size]
            if t == 2:
                v = struct.unpack('>Q', raw)[0]
            elif t == 10:
                v = struct.unpack('>i', raw)[0]
            elif t == 11:
                v = struct.unpack('>q', raw)[0]
            else:
                v = raw
            yield name, t, v
            off += size

    def field(self, oid, name):
        for n, _, v in self.fields(oid):
            if n == name:
                return v
        return None

    def kind(self, oid):
        if oid in self.inst:
            return self.class_name.get(self.inst[oid][0], '?')
        if oid in self.arrays:
            return self.class_name.get(self.arrays[oid][0], '?') + '[]'
        if oid in self.prim:
            return 'prim[]'
        return 'class ' + self.class_name.get(oid, '?')

    def referrers(self):
        refs = collections.defaultdict(list)
        for oid, (cid, _, _) in self.inst.items():
            for name, t, v in self.fields(oid):
                if t == 2 and v:
                    refs[v].append((oid, name))
        for oid, (cid, off, n) in self.arrays.items():
            for k in range(n):
                v = struct.unpack('>Q', self.f[off + 8 * k:off + 8 * k + 8])[0]
                if v:
                    refs[v].append((oid, '[]'))
        for cid, st_refs in self.statics.items():
            for name, v in st_refs:
                refs[v].append((cid, 'static ' + name))
        return refs


def is_owner(kind):
    return kind.startswith('io.ggen.') and '$$Lambda' not in kind


def owner_path(heap, refs, oid, limit=12):
    """The chain of referrers from oid to the nearest io.ggen owner (breadth first)."""
    seen = {oid}
    frontier = [(oid, [])]
    for _ in range(limit):
        nxt = []
        for o, path in frontier:
            for r, name in refs.get(o, ()):
                if r in seen:
                    continue
                seen.add(r)
                k = heap.kind(r)
                step = path + ['%s.%s' % (k.rsplit('.', 1)[-1], name)]
                if is_owner(k) or k.startswith('class '):
                    return ' -> '.join(reversed(step))
                nxt.append((r, step))
        if not nxt:
            break
        frontier = nxt
        if len(frontier) > 2000:
            frontier = frontier[:2000]
    if oid in heap.roots:
        return heap.roots[oid]
    for o, path in frontier[:1]:
        return '(no io.ggen owner within %d steps) ' % limit + ' -> '.join(reversed(path))
    return '(unreferenced: %s)' % heap.roots.get(oid, 'no root')


def thread_name(heap, t):
    if not t:
        return None
    name = heap.field(t, 'name')
    value = heap.field(name, 'value') if name else None
    if value not in heap.prim:
        return '?'
    _, n, off = heap.prim[value]
    return heap.f[off:off + n].decode('latin1')


def magazine_owners(heap):
    """Each magazine's (kind, thread): 'thread-local' with its thread, or 'shared' with its stripe count."""
    by_name = {n: c for c, n in heap.class_name.items()}
    group_cid = by_name.get('io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup')
    owners = {}
    for g, (cid, _, _) in heap.inst.items():
        if cid != group_cid:
            continue
        local = heap.field(g, 'threadLocalMagazine')
        if local:
            owners[local] = 'thread-local (%s)' % thread_name(heap, heap.field(g, 'ownerThread'))
        mags = heap.field(g, 'magazines')
        if mags in heap.arrays:
            _, off, n = heap.arrays[mags]
            for k in range(n):
                m = struct.unpack('>Q', heap.f[off + 8 * k:off + 8 * k + 8])[0]
                if m:
                    owners[m] = 'shared (%d stripes)' % n
    return owners


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    heap = Heap(sys.argv[1])
    by_name = {n: c for c, n in heap.class_name.items()}
    buf_cid = by_name.get('io.netty.buffer.AdaptivePoolingAllocator$AdaptiveByteBuf')
    chunk_kinds = {c for c, n in heap.class_name.items()
                   if n.startswith('io.netty.buffer.AdaptivePoolingAllocator$') and n.endswith('Chunk')}
    # the allocator's placeholder chunk has no memory of its own
    chunks = [o for o, (c, _, _) in heap.inst.items() if c in chunk_kinds and (heap.field(o, 'capacity') or 0) > 0]
    live = collections.defaultdict(list)
    for oid, (cid, _, _) in heap.inst.items():
        if cid == buf_cid:
            ch = heap.field(oid, 'chunk')
            if ch:
                live[ch].append(oid)
    refs = heap.referrers()
    cap = {c: heap.field(c, 'capacity') for c in chunks}
    seg = {c: heap.field(c, 'segmentSize') for c in chunks}
    memory = {c: 'heap' if 'Heap' in heap.kind(heap.field(c, 'delegate')) else 'direct' for c in chunks}
    print('chunks: %d, %d KiB (heap: %d, %d KiB); live buffers carved from them: %d' % (
        len(chunks), sum(cap.values()) // 1024,
        sum(1 for c in chunks if memory[c] == 'heap'), sum(cap[c] for c in chunks if memory[c] == 'heap') // 1024,
        sum(len(v) for v in live.values())))

    owners = magazine_owners(heap)
    print('\nwho holds the chunks (memory, size class, holder): chunks, KiB, live buffers')
    held = collections.defaultdict(lambda: [0, 0, 0])
    for c in chunks:
        holders = []
        for r, name in refs.get(c, ()):
            k = heap.kind(r)
            if k.endswith('$Magazine'):
                holders.append('Magazine.%s, %s' % (name, owners.get(r, '?')))
            elif not k.endswith('$AdaptiveByteBuf'):
                holders.append('%s.%s' % (k.rsplit('.', 1)[-1], name))
        key = (memory[c], seg[c] or 0, '; '.join(sorted(holders)) or '(only its live buffers)')
        h = held[key]
        h[0] += 1
        h[1] += cap[c] // 1024
        h[2] += len(live.get(c, ()))
    for (mem, s, who), (n, kib, nbufs) in sorted(held.items()):
        print('  %-6s %-14s %-60s %3d  %6d  %d' % (mem, 'segment %d' % s if s else 'large', who, n, kib, nbufs))

    if live:
        print('\nlive buffers by owner path (buffer -> ... -> owner): buffers, bytes, chunks')
        per_owner = collections.defaultdict(lambda: [0, 0, set()])
        for ch, bufs in live.items():
            for b in bufs:
                o = per_owner[owner_path(heap, refs, b)]
                o[0] += 1
                o[1] += heap.field(b, 'length') or 0
                o[2].add(ch)
        for path, (n, nbytes, chs) in sorted(per_owner.items(), key=lambda kv: -len(kv[1][2])):
            print('  %6d  %8d  %4d  %s' % (n, nbytes, len(chs), path))


if __name__ == '__main__':
    main()
