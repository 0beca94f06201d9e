//! Short words as integers, so that the tables' lookups (word classes,
//! the first word of a phrase) hash and compare one number instead of a
//! string: the rules ask a few lookups of every token of every sentence,
//! and hashing and comparing strings was a fifth of extraction time.

/// A word of at most [`WordKey::MAX`] bytes packed into an integer: its
/// bytes in order, zero-padded, its length in the last byte (so that two
/// words have the same key exactly when they are the same word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct WordKey(u128);

impl WordKey {
    /// The longest word with a key; longer words are looked up as strings.
    pub const MAX: usize = 15;

    /// The key of `w`, or `None` when it is longer than [`WordKey::MAX`].
    #[inline]
    pub fn of(w: &str) -> Option<WordKey> {
        let b = w.as_bytes();
        let n = b.len();
        if n > Self::MAX {
            return None;
        }
        // Two overlapping reads cover every byte of a word of 1 to 15
        // bytes, without a copy through a buffer.
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4]));
        let (lo, hi) = if n >= 8 {
            // Bytes 8..n: the last eight bytes shifted down past the ones
            // the first read has.
            let hi = if n == 8 {
                0
            } else {
                u64_at(n - 8) >> (8 * (16 - n))
            };
            (u64_at(0), hi)
        } else if n >= 4 {
            let tail = (u32_at(n - 4) as u64) >> (8 * (8 - n));
            (u32_at(0) as u64 | tail << 32, 0)
        } else if n > 0 {
            let (a, m, z) = (b[0] as u64, b[n / 2] as u64, b[n - 1] as u64);
            (a | m << (8 * (n / 2)) | z << (8 * (n - 1)), 0)
        } else {
            (0, 0)
        };
        Some(WordKey(
            lo as u128 | (hi as u128) << 64 | (n as u128) << 120,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key as a copy through a buffer would make it.
    fn plain(w: &str) -> Option<WordKey> {
        let b = w.as_bytes();
        (b.len() <= WordKey::MAX).then(|| {
            let mut buf = [0u8; 16];
            buf[..b.len()].copy_from_slice(b);
            buf[15] = b.len() as u8;
            WordKey(u128::from_le_bytes(buf))
        })
    }

    #[test]
    fn keys_are_the_words_bytes_and_length() {
        let words = [
            "",
            "a",
            "de",
            "des",
            "pris",
            "prise",
            "tombee",
            "attaque",
            "attaques",
            "offensive",
            "bombardement",
            "affrontements",
            "bombardements1",
            "combattantes123",
            "gouvernementales",
        ];
        for w in words {
            assert_eq!(WordKey::of(w), plain(w), "{w:?}");
        }
        assert_eq!(WordKey::of("gouvernementales"), None);
        for a in words {
            for b in words {
                if let (Some(x), Some(y)) = (WordKey::of(a), WordKey::of(b)) {
                    assert_eq!(x == y, a == b, "{a:?} {b:?}");
                }
            }
        }
        // A zero byte is a byte like any other: the length tells them apart.
        assert_ne!(WordKey::of("a"), WordKey::of("a\0"));
    }
}
