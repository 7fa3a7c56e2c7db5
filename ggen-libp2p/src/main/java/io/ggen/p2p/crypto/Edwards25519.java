package io.ggen.p2p.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Points of edwards25519 (RFC 8032 section 5.1) for many-term multiplications: the batch check of
 * {@link Ed25519Batch}. The field arithmetic is BouncyCastle's {@link X25519Field} (ten signed
 * limbs of 25-26 bits, the additions carry-free); the point formulas are those of Hisil, Wong,
 * Carter and Dawson (2008) for a = -1 in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z,
 * x y = T/Z. Variable time: only public values (signatures, keys, messages) pass through here.
 *
 * <p>Limb bounds: every input of a multiplication is a product, a decoded value, or at most one
 * addition or subtraction of those; deeper sums are carried first ({@link X25519Field#carry}).
 */
final class Edwards25519 {
    private Edwards25519() {}

    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** The prime order of the base point. */
    static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final int[] D = fieldConstant(BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
    private static final int[] D2 = fieldConstant(BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).shiftLeft(1).mod(P));
    /** The base point's encoding: y = 4/5, x even. */
    private static final byte[] BASE_ENCODED = baseEncoding();

    private static int[] fieldConstant(BigInteger v) {
        int[] f = X25519Field.create();
        X25519Field.decode255(littleEndian(v, 32), 0, f, 0);
        return f;
    }

    private static byte[] baseEncoding() {
        BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
        return littleEndian(y, 32);
    }

    static byte[] littleEndian(BigInteger v, int length) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[length];
        for (int i = 0; i < be.length && i < length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }

    static BigInteger fromLittleEndian(byte[] b, int off, int len) {
        byte[] be = new byte[len + 1];
        for (int i = 0; i < len; i++) be[len - i] = b[off + i];
        return new BigInteger(be);
    }

    /** A point in extended coordinates. */
    static final class Point {
        final int[] x = X25519Field.create();
        final int[] y = X25519Field.create();
        final int[] z = X25519Field.create();
        final int[] t = X25519Field.create();

        static Point neutral() {
            Point p = new Point();
            X25519Field.one(p.y);
            X25519Field.one(p.z);
            return p;
        }

        void set(Point o) {
            X25519Field.copy(o.x, 0, x, 0);
            X25519Field.copy(o.y, 0, y, 0);
            X25519Field.copy(o.z, 0, z, 0);
            X25519Field.copy(o.t, 0, t, 0);
        }

        /** Whether this is the neutral element (0, 1): X = 0 and Y = Z. */
        boolean isNeutral() {
            int[] a = X25519Field.create();
            int[] b = X25519Field.create();
            X25519Field.copy(x, 0, a, 0);
            X25519Field.normalize(a);
            if (!X25519Field.isZeroVar(a)) return false;
            X25519Field.sub(y, z, b);
            X25519Field.carry(b);
            X25519Field.normalize(b);
            return X25519Field.isZeroVar(b);
        }

        /** The 32-byte encoding (RFC 8032 5.1.2). */
        byte[] encode() {
            int[] zi = X25519Field.create();
            int[] ax = X25519Field.create();
            int[] ay = X25519Field.create();
            X25519Field.inv(z, zi);
            X25519Field.mul(x, zi, ax);
            X25519Field.mul(y, zi, ay);
            X25519Field.normalize(ax);
            X25519Field.normalize(ay);
            byte[] out = new byte[32];
            X25519Field.encode(ay, out, 0);
            out[31] |= (byte) ((ax[0] & 1) << 7);
            return out;
        }
    }

    /** A point kept for additions: (Y + X, Y - X, 2 Z, 2 d T). */
    static final class Cached {
        final int[] yPlusX = X25519Field.create();
        final int[] yMinusX = X25519Field.create();
        final int[] z2 = X25519Field.create();
        final int[] t2d = X25519Field.create();

        static Cached of(Point p) {
            Cached c = new Cached();
            X25519Field.apm(p.y, p.x, c.yPlusX, c.yMinusX);
            X25519Field.carry(c.yPlusX);
            X25519Field.carry(c.yMinusX);
            X25519Field.add(p.z, p.z, c.z2);
            X25519Field.carry(c.z2);
            X25519Field.mul(p.t, D2, c.t2d);
            return c;
        }
    }

    /**
     * Decodes an encoded point (RFC 8032 5.1.3), or returns null: a y of p or more (a non-canonical
     * encoding), no x for this y, or x = 0 with its sign bit set. As BouncyCastle decodes R and A.
     */
    static Point decode(byte[] encoded, int off) {
        byte[] yBytes = new byte[32];
        System.arraycopy(encoded, off, yBytes, 0, 32);
        int sign = (yBytes[31] & 0x80) >>> 7;
        yBytes[31] &= 0x7F;
        if (!canonical(yBytes)) return null;
        Point p = new Point();
        X25519Field.decode255(yBytes, 0, p.y, 0);
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(p.y, u);
        X25519Field.mul(D, u, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        if (!X25519Field.sqrtRatioVar(u, v, p.x)) return null;
        X25519Field.normalize(p.x);
        if (sign == 1 && X25519Field.isZeroVar(p.x)) return null;
        if ((p.x[0] & 1) != sign) {
            X25519Field.negate(p.x, p.x);
            X25519Field.normalize(p.x);
        }
        X25519Field.one(p.z);
        X25519Field.mul(p.x, p.y, p.t);
        return p;
    }

    /** Whether 32 little-endian bytes (top bit clear) are below p = 2^255 - 19. */
    private static boolean canonical(byte[] y) {
        if ((y[31] & 0xFF) != 0x7F) return true;
        for (int i = 30; i >= 1; i--) if ((y[i] & 0xFF) != 0xFF) return true;
        return (y[0] & 0xFF) < 0xED;
    }

    static Point base() {
        return decode(BASE_ENCODED, 0);
    }

    /**
     * Scratch field elements for one thread's point operations: the field code is called, not
     * inlined (scripts/node.options), so temporaries made per operation would all be allocated.
     */
    static final class Work {
        final int[] a = X25519Field.create();
        final int[] b = X25519Field.create();
        final int[] c = X25519Field.create();
        final int[] d = X25519Field.create();
        final int[] e = X25519Field.create();
        final int[] f = X25519Field.create();
        final int[] g = X25519Field.create();
        final int[] h = X25519Field.create();
    }

    /** r = 2 p (r may be p). */
    static void dbl(Point p, Point r, Work w) {
        int[] a = w.a, b = w.b, c = w.c, e = w.e, f = w.f, g = w.g, h = w.h;
        X25519Field.sqr(p.x, a);
        X25519Field.sqr(p.y, b);
        X25519Field.sqr(p.z, c);
        X25519Field.add(c, c, c);
        X25519Field.add(p.x, p.y, e);
        X25519Field.sqr(e, e);
        X25519Field.apm(a, b, h, g); // h = A + B, g = A - B
        X25519Field.sub(h, e, e); // e = A + B - (X + Y)^2
        X25519Field.carry(e);
        X25519Field.add(c, g, f); // f = 2 Z^2 + A - B
        X25519Field.carry(f);
        X25519Field.mul(e, f, r.x);
        X25519Field.mul(g, h, r.y);
        X25519Field.mul(e, h, r.t);
        X25519Field.mul(f, g, r.z);
    }

    /** r = p + q, or p - q when {@code subtract} (r may be p). */
    static void add(Point p, Cached q, boolean subtract, Point r, Work w) {
        int[] a = w.a, b = w.b, c = w.c, d = w.d, e = w.e, f = w.f, g = w.g, h = w.h;
        X25519Field.apm(p.y, p.x, b, a); // b = Y1 + X1, a = Y1 - X1
        // -q is (Y - X, Y + X, 2Z, -2dT): the two sums swap and C changes sign.
        X25519Field.mul(a, subtract ? q.yPlusX : q.yMinusX, a);
        X25519Field.mul(b, subtract ? q.yMinusX : q.yPlusX, b);
        X25519Field.mul(p.t, q.t2d, c);
        X25519Field.mul(p.z, q.z2, d);
        X25519Field.apm(b, a, h, e); // h = B + A, e = B - A
        if (subtract) X25519Field.apm(d, c, f, g); // f = D + C, g = D - C
        else X25519Field.apm(d, c, g, f); // g = D + C, f = D - C
        X25519Field.mul(e, f, r.x);
        X25519Field.mul(g, h, r.y);
        X25519Field.mul(e, h, r.t);
        X25519Field.mul(f, g, r.z);
    }

    /** The odd multiples p, 3p, ..., (2^(w-1) - 1) p, for signed windows of width w. */
    static Cached[] oddMultiples(Point p, int width, Work w) {
        int count = 1 << (width - 2);
        Cached[] table = new Cached[count];
        table[0] = Cached.of(p);
        if (count == 1) return table;
        Point twice = new Point();
        dbl(p, twice, w);
        Cached twiceCached = Cached.of(twice);
        Point acc = new Point();
        acc.set(p);
        for (int i = 1; i < count; i++) {
            add(acc, twiceCached, false, acc, w);
            table[i] = Cached.of(acc);
        }
        return table;
    }

    /**
     * The width-w non-adjacent form of a non-negative scalar below 2^254: 256 signed digits,
     * least significant first, each zero or odd with |digit| < 2^(w-1), no two non-zero digits
     * closer than w positions.
     */
    static byte[] wnaf(BigInteger scalar, int width) {
        if (scalar.signum() < 0 || scalar.bitLength() > 254) throw new IllegalArgumentException("scalar out of range");
        long[] words = new long[5];
        byte[] le = littleEndian(scalar, 32);
        for (int i = 0; i < 32; i++) words[i >>> 3] |= (le[i] & 0xFFL) << ((i & 7) * 8);
        byte[] digits = new byte[256];
        int mask = (1 << width) - 1;
        int half = 1 << (width - 1);
        int carry = 0;
        int i = 0;
        while (i < 256) {
            int bit = (int) (words[i >>> 6] >>> (i & 63)) & 1;
            if (bit == carry) {
                i++;
                continue;
            }
            int window = (int) (bits(words, i) & mask) + carry;
            int digit = window;
            carry = 0;
            if (window >= half) {
                digit = window - (1 << width);
                carry = 1;
            }
            digits[i] = (byte) digit;
            i += width;
        }
        if (carry != 0) throw new IllegalStateException("scalar overflowed its digits");
        return digits;
    }

    /** The 32 bits of {@code words} from bit {@code i} on (bits past the end read as zero). */
    private static long bits(long[] words, int i) {
        int w = i >>> 6;
        int s = i & 63;
        long lo = words[w] >>> s;
        long hi = s == 0 || w + 1 >= words.length ? 0 : words[w + 1] << (64 - s);
        return (lo | hi) & 0xFFFFFFFFL;
    }

    /**
     * The sum of {@code digits[j]}-weighted {@code tables[j]} (Straus' interleaved method): one
     * doubling per bit for all terms together, one addition per non-zero digit. A negative
     * {@code negate[j]} term is subtracted.
     */
    static Point multiScalarMul(Cached[][] tables, byte[][] digits, boolean[] negate, Work w) {
        int top = -1;
        for (byte[] d : digits) {
            for (int i = d.length - 1; i > top; i--) {
                if (d[i] != 0) {
                    top = i;
                    break;
                }
            }
        }
        Point acc = Point.neutral();
        for (int i = top; i >= 0; i--) {
            dbl(acc, acc, w);
            for (int j = 0; j < tables.length; j++) {
                int digit = digits[j][i];
                if (digit == 0) continue;
                boolean minus = (digit < 0) != negate[j];
                add(acc, tables[j][Math.abs(digit) >>> 1], minus, acc, w);
            }
        }
        return acc;
    }

    /** 8 p: what is left once any small-order part of p is gone. */
    static Point timesCofactor(Point p, Work w) {
        Point r = new Point();
        dbl(p, r, w);
        dbl(r, r, w);
        dbl(r, r, w);
        return r;
    }
}
