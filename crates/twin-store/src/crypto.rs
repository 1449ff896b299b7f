//! Authenticated encryption of every stored value.
//!
//! XChaCha20-Poly1305 (RFC 8439 with the extended 192-bit nonce, draft-irtf-cfrg-xchacha):
//! a fresh random nonce per write is safe at any write count, and the associated data binds each
//! ciphertext to the key it is stored under, so a value moved to another key fails to decrypt.
//! Stored form: nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Length of a key, bytes.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// A 256-bit key, wiped from memory on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; KEY_LEN]);

impl Key {
    /// A fresh random key from the OS-seeded CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut bytes);
        Key(bytes)
    }

    /// A key from raw bytes; `None` unless exactly 32.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; KEY_LEN]>::try_from(bytes).ok().map(Key)
    }

    /// The raw bytes (to hand to the keychain).
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// Seals and opens values with one key.
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

/// Decryption failed: wrong key, or the bytes were altered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenError;

impl Cipher {
    /// A cipher for `key`.
    pub fn new(key: &Key) -> Self {
        Self { aead: XChaCha20Poly1305::new(key.as_bytes().into()) }
    }

    /// Encrypts `plaintext`, bound to `aad`.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
            .unwrap_or_else(|_| unreachable!("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers"));
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts what [`Cipher::seal`] produced with the same `aad`.
    ///
    /// # Errors
    /// [`OpenError`] when the key is wrong or the bytes were altered.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, OpenError> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(OpenError);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.aead.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad }).map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_tamper_is_caught() {
        let cipher = Cipher::new(&Key::generate());
        let sealed = cipher.seal(b"hello", b"p1");
        assert_eq!(cipher.open(&sealed, b"p1").unwrap(), b"hello");
        assert_eq!(cipher.open(&sealed, b"p2"), Err(OpenError), "bound to its key");
        let mut flipped = sealed.clone();
        flipped[30] ^= 1;
        assert_eq!(cipher.open(&flipped, b"p1"), Err(OpenError));
        assert_eq!(Cipher::new(&Key::generate()).open(&sealed, b"p1"), Err(OpenError), "wrong key");
        assert_ne!(cipher.seal(b"hello", b"p1"), sealed, "fresh nonce each time");
    }

    #[test]
    fn keys_do_not_print() {
        assert_eq!(format!("{:?}", Key::generate()), "Key(<redacted>)");
    }
}
