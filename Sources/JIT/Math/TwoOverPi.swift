/// The bits of `2/pi` after the binary point, 32 per word, most significant first, for the
/// Payne-Hanek reduction of sin and cos (`MathBody.payneHanek`), behind two words of zeros: the
/// reduction reads a window that starts up to 34 bits before the binary point (for |x| near 2^20).
///
/// NOTE: computed for this package with exact integer arithmetic: pi from Machin's formula
/// (`16 atan(1/5) - 4 atan(1/239)`) to 1464 bits, then `floor(2^1401 / pi)`, cross-checked
/// with Gauss's formula (`48 atan(1/18) + 32 atan(1/57) - 20 atan(1/239)`). The 43 words (1376
/// bits) cover the largest double, whose window ends in word 38 (counting the padding).
enum TwoOverPi {
    static let paddingWords = 2

    static let words: [UInt32] = [
        0x0000_0000, 0x0000_0000,
        0xA2F9_836E, 0x4E44_1529, 0xFC27_57D1, 0xF534_DDC0, 0xDB62_9599, 0x3C43_9041, 0xFE51_63AB, 0xDEBB_C561,
        0xB724_6E3A, 0x424D_D2E0, 0x0649_2EEA, 0x09D1_921C, 0xFE1D_EB1C, 0xB129_A73E, 0xE882_35F5, 0x2EBB_4484,
        0xE99C_7026, 0xB45F_7E41, 0x3991_D639, 0x8353_39F4, 0x9C84_5F8B, 0xBDF9_283B, 0x1FF8_97FF, 0xDE05_980F,
        0xEF2F_118B, 0x5A0A_6D1F, 0x6D36_7ECF, 0x27CB_09B7, 0x4F46_3F66, 0x9E5F_EA2D, 0x7527_BAC7, 0xEBE5_F17B,
        0x3D07_39F7, 0x8A52_92EA, 0x6BFB_5FB1, 0x1F8D_5D08, 0x5603_3046, 0xFC7B_6BAB, 0xF0CF_BC20, 0x9AF4_361D,
        0xA9E3_9161, 0x5EE6_1B08, 0x6599_855F,
    ]
}
