using static Receiver.Core.FairPlay.ByteRotation;

namespace Receiver.Core.FairPlay;

/// <summary>
/// The "garble" step of the SAP hash: a fixed sequence of data-dependent byte arithmetic over five
/// working buffers. It reads <c>buffer1</c> (the 210 scrambled bytes) and the three constant-seeded
/// buffers, and writes into all of them; <c>buffer3</c> receives the bytes later added into the hash.
/// </summary>
/// <remarks>
/// Every step keeps the integer semantics of the published algorithm: bytes are widened to 32-bit
/// signed integers before arithmetic, named intermediates are unsigned 32-bit values, and every store
/// into a buffer keeps only the low 8 bits. Division, modulo and right shifts are applied only to
/// non-negative values or explicitly to unsigned 32-bit values, as the algorithm requires.
/// </remarks>
internal static class Garble
{
    /// <summary>Applies the garble step to the five working buffers (20, 210, 35, 132 and 21 bytes).</summary>
    public static void Apply(Span<byte> b0, Span<byte> b1, Span<byte> b2, Span<byte> b3, Span<byte> b4)
    {
        if (b0.Length != 20 || b1.Length != 210 || b2.Length != 35 || b3.Length != 132 || b4.Length != 21)
        {
            throw new ArgumentException("Garble buffers must be 20, 210, 35, 132 and 21 bytes long.");
        }

        unchecked
        {
            uint a, b, c, d, e, f, g, h, j, k, m, r, s, t, u, v, w, x, y, z, tmp, tmp2, tmp3;

            b2[12] = (byte)(0x14 + (((b1[64] & 92) | ((b1[99] / 3) & 35)) & b4[(int)(Rol8Wide(b4[b1[206] % 21], 4) % 21)]));
            b1[4] = (byte)((b1[99] / 5) * (b1[99] / 5) * 2);
            b2[34] = 0xB8;
            b1[153] = (byte)(b1[153] ^ (b2[b1[203] % 35] * b2[b1[203] % 35] * b1[190]));
            b0[3] = (byte)(b0[3] - (((b4[b1[205] % 21] >> 1) & 80) | 0xE6440));
            b0[16] = 0x93;
            b0[13] = 0x62;
            b1[33] = (byte)(b1[33] - (b4[b1[36] % 21] & 0xF6));

            tmp2 = b2[b1[67] % 35];
            b2[12] = 0x07;

            tmp = b0[b1[181] % 20];
            b1[2] = (byte)(b1[2] - 3136);
            b0[19] = b4[b1[58] % 21];
            b3[0] = (byte)(92 - b2[b1[32] % 35]);
            b3[4] = (byte)(b2[b1[15] % 35] + 0x9E);
            b1[34] = (byte)(b1[34] + (b4[((b2[b1[15] % 35] + 0x9E) & 0xFF) % 21] / 5));
            b0[19] = (byte)(b0[19] + 0xFFFFFEE6 - ((b0[b3[4] % 20] >> 1) & 102));

            var shift = b4[b1[190] % 21];
            var spread = (b1[72] >> (shift & 7)) ^ (b1[72] << ((7 - (shift - 1)) & 7));
            b1[15] = (byte)((3 * (spread - (3 * b4[b1[126] % 21]))) ^ b1[15]);

            var cube = b2[b1[181] % 35];
            b0[15] = (byte)(b0[15] ^ (cube * cube * cube));
            b2[4] = (byte)(b2[4] ^ (b1[202] / 3));

            a = (uint)(92 - b0[b3[0] % 20]);
            e = (a & 0xC6) | ((uint)~b1[105] & 0xC6) | (a & (uint)~b1[105]);
            b2[1] = (byte)(b2[1] + (e * e * e));

            b0[19] = (byte)(b0[19] ^ (((224 | (b4[b1[92] % 21] & 27)) * b2[b1[41] % 35]) / 3));
            b1[140] = (byte)(b1[140] + RotateRightWideOrZero(92, b1[5] & 7));

            var inverted = ~b1[4] ^ b2[b1[12] % 35];
            b2[12] = (byte)(b2[12] + (((inverted | b1[182]) & 192) | (inverted & b1[182])));
            b1[36] = (byte)(b1[36] + 125);

            var blend = (74 & b1[138]) | ((74 | b1[138]) & b0[15]);
            var picked = b0[b1[43] % 20];
            b1[124] = (byte)Rol8Wide((byte)((blend & picked) | ((blend | picked) & 95)), 4);

            b3[8] = (byte)((((b0[b3[4] % 20] & 95) & ((b4[b1[68] % 21] & 46) << 1)) | 16) ^ 92);

            a = (uint)(b1[177] + b4[b1[79] % 21]);
            var fifth = (uint)(3 * b1[148] / 5);
            d = (((a >> 1) | fifth) & b2[1]) | ((a >> 1) & fifth);
            b3[12] = (byte)(0u - 34u - d);

            a = (uint)(8 - (b2[22] & 7));
            b = (uint)(b1[33] >> (int)(a & 7));
            c = (uint)(b1[33] << (b2[22] & 7));
            b2[16] = (byte)(b2[16] + (uint)((b2[b3[0] % 35] & 159) | b0[b3[4] % 20] | 8) - ((b ^ c) | 128));

            b0[14] = (byte)(b0[14] ^ b2[b3[12] % 35]);

            a = RotateLeftOrZero(b4[b0[b1[201] % 20] % 21], (b2[b1[112] % 35] << 1) & 7);
            d = (uint)((b0[b1[208] % 20] & 131) | (b0[b1[164] % 20] & 124));
            b1[19] = (byte)(b1[19] + ((a & (d / 5)) | ((a | (d / 5)) & 37)));

            var offset = b4[b1[45] % 21] + 92;
            b2[8] = (byte)RotateRightWideOrZero(140, (offset * offset) & 7);
            b1[190] = 56;
            b2[8] = (byte)(b2[8] ^ b3[0]);
            b1[53] = (byte)~((b0[b1[83] % 20] | 204) / 5);
            b0[13] = (byte)(b0[13] + b0[b1[41] % 20]);
            b0[10] = (byte)(((b2[b3[0] % 35] & b1[2]) | ((b2[b3[0] % 35] | b1[2]) & b3[12])) / 15);

            var masked = b4[b1[2] % 21] & 68;
            var other = b2[b3[8] % 35];
            a = (uint)((((56 | masked) | other) & 42) | ((masked | 56) & other));
            b3[16] = (byte)((a * a) + 110);
            b3[20] = (byte)(202 - b3[16]);
            b3[24] = b1[151];
            b2[13] = (byte)(b2[13] ^ b4[b3[0] % 21]);

            var lowered = b2[b1[179] % 35] - 38;
            b = (uint)((lowered & 177) | (b3[12] & 177));
            c = (uint)(lowered & b3[12]);
            b3[28] = (byte)(30 + ((b | c) * (b | c)));
            b3[32] = (byte)(b3[28] + 62);

            var sum = b3[20] + (b3[0] & 74);
            a = (uint)((sum | ~b4[b3[0] % 21]) & 121);
            b = (uint)(sum & ~b4[b3[0] % 21]);
            tmp3 = a | b;
            c = (((tmp3 ^ 0xFFFFFFA6) | b3[0]) & 4) | ((tmp3 ^ 0xFFFFFFA6) & b3[0]);
            b1[47] = (byte)((b2[b1[89] % 35] + c) ^ b1[47]);

            b3[36] = (byte)(((uint)(Rol8((byte)((tmp & 179) + 68), 2) & b0[3]) | (tmp2 & (uint)~b0[3])) - 15);
            b1[123] = (byte)(b1[123] ^ 221);

            a = (uint)((b4[b3[0] % 21] / 3) - b2[b3[4] % 35]);
            c = (uint)((((b3[0] & 163) + 92) & 246) | (b3[0] & 92));
            e = ((c | b3[24]) & 54) | (c & b3[24]);
            b3[40] = (byte)(a - e);
            b3[44] = (byte)(tmp3 ^ 81 ^ (uint)(((b3[0] >> 1) & 101) + 26));
            b3[48] = (byte)(b2[b3[4] % 35] & 27);
            b3[52] = 27;
            b3[56] = 199;

            var pairOr = (b3[40] | b3[24]) & 177;
            var pairAnd = b3[40] & b3[24];
            var lane = b4[b3[0] % 21];
            var first = (pairOr | pairAnd) & (((b4[b3[0] % 20] & 177) | 176) | (lane & ~3));
            var second = ((pairAnd | pairOr) & 199) | ((((lane & 1) + 176) | (lane & ~3)) & b3[56]);
            b3[64] = (byte)(b3[4] + (((first | second) & ~b3[52]) | b3[48]));

            b2[33] = (byte)(b2[33] ^ b1[26]);
            b1[106] = (byte)(b1[106] ^ b3[20] ^ 133);
            b2[30] = (byte)(((b3[64] / 3) - (275 | (b3[0] & 247))) ^ b0[b1[122] % 20]);
            b1[22] = (byte)((b2[b1[90] % 35] & 95) | 68);

            a = (uint)((b4[b3[36] % 21] & 184) | (b2[b3[44] % 35] & ~184));
            b2[18] = (byte)(b2[18] + ((a * a * a) >> 1));
            b2[5] = (byte)(b2[5] - b4[b1[92] % 21]);

            a = (uint)((((b1[41] & ~24) | (b2[b1[183] % 35] & 24)) & (b3[16] + 53)) | (b3[20] & b2[b3[20] % 35]));
            b = (uint)((b1[17] & ~b3[44]) | (b0[b1[59] % 20] & b3[44]));
            b2[18] = (byte)(b2[18] ^ (a * b));

            a = RotateRightWideOrZero(b1[11], b2[b1[28] % 35] & 7) & 7;
            b = (uint)((((b0[b1[93] % 20] & ~b0[14]) | (b0[14] & 150)) & ~28) | (b1[7] & 28));
            var rotated = RotateLeftOrZero(b2[b3[0] % 35], (int)a);
            b2[22] = (byte)((((b | rotated) & b2[33]) | (b & rotated)) + 74);

            a = b4[(b0[b1[39] % 20] ^ 217) % 21];
            var corner = (uint)(((b3[20] | b3[0]) & 214) | (b3[20] & b3[0]));
            b0[15] = (byte)(b0[15] - ((corner & a) | ((corner | a) & b3[32])));

            // The byte picked here (t) is used much later, after other buffers have changed.
            var p = b2[b1[57] % 35];
            var q = b0[b3[64] % 20];
            b = (uint)(((p & q) | ((q | p) & 95) | (b3[64] & 45) | 82) & 32);
            c = (uint)(((p & q) | ((p | q) & 95)) & ((b3[64] & 45) | 82));
            d = (uint)((b3[0] / 3) - (b3[64] | b1[22])) ^ (uint)(b3[28] + 62) ^ (b | c);
            t = b0[(int)((d & 0xFF) % 20)];

            var fourth = b0[b1[99] % 20];
            b3[68] = (byte)((fourth * fourth * fourth * fourth) | b2[b3[64] % 35]);

            u = b0[b1[50] % 20];
            w = b2[b1[138] % 35];
            x = b4[b1[39] % 21];
            y = b0[b1[4] % 20];
            z = b4[b1[202] % 21];
            v = b0[b1[151] % 20];
            s = b2[b1[14] % 35];
            r = b0[b1[145] % 20];

            p = b2[b3[68] % 35];
            q = b0[b1[209] % 20];
            a = (uint)((p & q) | ((p | q) & 24));
            b = RotateLeftOrZero(b4[b1[127] % 21], p & 7);
            c = (a & b0[10]) | (b & (uint)~b0[10]);
            d = (uint)(7 ^ (b4[b2[b3[36] % 35] % 21] << 1));
            b3[72] = (byte)((c & 71) | (d & ~71u));

            var left = ((b0[b3[20] % 20] << 1) & 159) | (b4[b1[190] % 21] & ~159);
            var right = (((b4[b3[64] % 21] & 110) | (b0[b1[25] % 20] & ~110)) & ~150) | (b1[25] & 150);
            b2[2] = (byte)(b2[2] + (left & right));
            b2[14] = (byte)(b2[14] - (((b2[b3[20] % 35] & (b3[72] ^ b2[b1[100] % 35])) & ~34) | (b1[97] & 34)));
            b0[17] = 115;

            p = b4[b1[17] % 21];
            q = b0[b3[20] % 20];
            var mixed = ((p | q) & b3[72]) | (p & q);
            var third = b1[50] / 3;
            b1[23] = (byte)(b1[23] ^ (((mixed & third) | ((mixed | third) & 246)) << 1));

            p = b0[b3[40] % 20];
            b0[13] = (byte)((((((p | b1[10]) & 82) | (p & b1[10])) & 209) | ((b0[b1[39] % 20] << 1) & 46)) >> 1);
            b2[33] = (byte)(b2[33] - (b1[113] & 9));
            b2[28] = (byte)(b2[28] - ((((2 | (b1[110] & 222)) >> 1) & ~223) | (b3[20] & 223)));

            j = RotateLeftOrZero((byte)(v | z), (int)(u & 7));
            a = (b2[16] & t) | (w & (uint)~b2[16]);
            b = (b1[33] & 17u) | (x & ~17u);
            e = ((y | ((a + b) / 5)) & 147) | (y & ((a + b) / 5));
            var je = b3[8] + j + e;
            var laneM = b4[(int)((je & 0xFF) % 21)];
            m = (uint)((b3[40] & laneM) | ((b3[40] | laneM) & b2[23]));

            var shifted = b4[b3[20] % 21] - 48;
            b0[15] = (byte)(((shifted & ~b1[184]) | (shifted & 189) | (189 & ~b1[184])) & (m * m * m));
            b2[22] = (byte)(b2[22] + b1[183]);
            b3[76] = (byte)((3 * b4[b1[1] % 21]) ^ b3[0]);

            a = b2[(int)((je & 0xFF) % 35)];
            p = b4[b1[178] % 21];
            f = ((p & a) | ((p | a) & 209)) * b0[b1[13] % 20] * (uint)(b4[b1[26] % 21] >> 1);
            g = ((f + 0x733FFFF9) * 198) - ((((f + 0x733FFFF9) * 396) + 212) & 212) + 85;
            b3[80] = (byte)(b3[36] + (g ^ 148) + ((g ^ 107) << 1) - 127);
            b3[84] = (byte)((b2[b3[64] % 35] & 245) | (b2[b3[20] % 35] & 10));

            a = (uint)(b0[b3[68] % 20] | 81);
            b2[18] = (byte)(b2[18] - (((a * a * a) & (uint)~b0[15]) | ((uint)(b3[80] / 15) & b0[15])));

            b3[88] = (byte)(je - b0[b1[160] % 20] + (b4[b0[(int)((je & 255) % 20)] % 21] / 3));

            b = ((r ^ b3[72]) & ~198u) | ((s * s) & 198);
            p = b4[b1[69] % 21];
            f = (uint)(p & b1[172]) | ((uint)(p | b1[172]) & (b3[12] - b + 77));
            b0[16] = (byte)(147 - ((b3[72] & ((f & 251) | 1)) | (((f & 250) | b3[72]) & 198)));

            p = b4[b1[168] % 21];
            q = b0[b1[29] % 20];
            c = (uint)((p & q & 7) | ((p | q) & 6));
            p = b4[b1[155] % 21];
            f = (uint)((p & b1[105]) | ((p | b1[105]) & 141));
            b0[3] = (byte)(b0[3] - b4[(int)(RotateLeftXorWideOrZero((byte)f, (int)c) % 21)]);

            b1[5] = (byte)(RotateRightWideOrZero(b0[12], (b0[b1[61] % 20] / 5) & 7) ^ ((uint)~b2[b3[84] % 35] / 5));
            b1[198] = (byte)(b1[198] + b1[3]);

            a = (uint)(162 | b2[b3[64] % 35]);
            b1[164] = (byte)(b1[164] + (a * a / 5));

            g = RotateRightWideOrZero(139, b3[80] & 7);
            p = b4[b3[64] % 21];
            c = (uint)(((p * p * p) & 95) | (b0[b3[40] % 20] & ~95));
            q = b0[b3[20] % 20];
            b3[92] = (byte)((g & 12) | (q & 12u) | (g & q) | c);
            b2[12] = (byte)(b2[12] + (((b1[103] & 32) | (b3[92] & (b1[103] | 60)) | 16) / 3));
            b3[96] = b1[143];
            b3[100] = 27;

            var selected = ((b3[40] & ~b2[8]) | (b1[35] & b2[8])) & b3[64];
            var quotient = ~b3[64] & (b3[84] / 3);
            b3[104] = (byte)(selected ^ 119);
            b3[108] = (byte)(238 & (selected << 1));
            b3[112] = (byte)(quotient ^ 49);
            b3[116] = (byte)(98 & (quotient << 1));

            a = (uint)((b1[35] & b2[8]) | (b3[40] & ~b2[8]));
            b = (a & b3[64]) | (uint)((b3[84] / 3) & ~b3[64]);
            var tail = (((b1[172] & 65) >> 1) ^ 86) | quotient | selected;
            b1[143] = (byte)(b3[96] - ((b & (uint)(86 + ((b1[172] & 64) >> 1))) | (uint)(tail & b3[100])));
            b2[29] = 162;

            a = (uint)(((b4[b3[88] % 21] & 160) | (b0[b1[125] % 20] & 95)) >> 1);
            b = (uint)(b2[b1[149] % 35] ^ (b1[43] * b1[43]));
            b0[15] = (byte)(b0[15] + ((b & a) | ((a | b) & 115)));
            b3[120] = (byte)(b3[64] - b0[b3[40] % 20]);
            b1[95] = b4[b3[20] % 21];

            p = b2[b1[17] % 35];
            a = RotateRightWideOrZero(b2[b3[80] % 35], (p * p * p) & 7);
            b0[7] = (byte)(b0[7] - (a * a));

            p = b4[b1[202] % 21];
            b2[8] = (byte)(b2[8] - b1[184] + (p * p * p));
            b0[16] = (byte)((b2[b1[102] % 35] << 1) & 132);
            b3[124] = (byte)((b4[b3[40] % 21] >> 1) ^ b3[68]);
            b0[7] = (byte)(b0[7] - (b0[b1[191] % 20] - (((b4[b1[80] % 21] << 1) & ~177) | (b4[b4[b3[88] % 21] % 21] & 177))));
            b0[6] = b0[b1[119] % 20];

            a = (uint)((b4[b1[190] % 21] & ~209) | (b1[118] & 209));
            b = (uint)(b0[b3[120] % 20] * b0[b3[120] % 20]);
            b0[12] = (byte)((b0[b3[84] % 20] ^ (b2[b1[71] % 35] + b2[b1[15] % 35])) & ((a & b) | ((a | b) & 27)));

            b = (uint)((b1[32] & b2[b3[88] % 35]) | ((b1[32] | b2[b3[88] % 35]) & 23));
            d = (uint)((b4[b1[57] % 21] * 231) & 169) | (b & 86);
            f = (uint)((((b0[b1[82] % 20] & ~29) | (b4[b3[124] % 21] & 29)) & 190) | (b4[(int)(d / 5 % 21)] & ~190));
            p = b0[b3[40] % 20];
            h = (uint)(p * p * p);
            k = (h & b1[82]) | (h & 92) | (b1[82] & 92u);
            b3[128] = (byte)(((f & k) | ((f | k) & 192)) ^ (d / 5));

            b2[25] = (byte)(b2[25] ^ (((b0[b3[120] % 20] << 1) * b1[5]) - (RotateLeftOrZero(b3[76], b4[b3[124] % 21] & 7) & (uint)(b3[20] + 110))));
        }
    }
}
