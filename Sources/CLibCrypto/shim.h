// A thin shim over OpenSSL 3's libcrypto for SM2 signatures with SM3 digests (GB/T 32918,
// GB/T 32905). Swift calls these few functions; every OpenSSL object stays on this side.
// swift-crypto's BoringSSL prefixes its symbols (CCryptoBoringSSL_…), so libcrypto's unprefixed
// symbols linked into the same binary do not clash.
#ifndef CREDIT_CLIBCRYPTO_SHIM_H
#define CREDIT_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <string.h>

/// Reads a PEM private key (PKCS#8) or public key (SubjectPublicKeyInfo); NULL when the text is
/// not such a key or the key is not on the SM2 curve.
static inline EVP_PKEY *credit_sm2_read_pem(const char *pem, size_t length, int is_private) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = is_private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
                               : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (key != NULL && !EVP_PKEY_is_a(key, "SM2")) { EVP_PKEY_free(key); return NULL; }
    return key;
}

/// Writes the public half of `key` as SubjectPublicKeyInfo PEM into `out` (capacity `capacity`);
/// returns the length written, or -1.
static inline long credit_sm2_public_pem(EVP_PKEY *key, char *out, size_t capacity) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return -1;
    long n = -1;
    if (PEM_write_bio_PUBKEY(bio, key) == 1) {
        char *data = NULL;
        long len = BIO_get_mem_data(bio, &data);
        if (len >= 0 && (size_t)len <= capacity) { memcpy(out, data, (size_t)len); n = len; }
    }
    BIO_free(bio);
    return n;
}

static inline void credit_sm2_free(EVP_PKEY *key) { EVP_PKEY_free(key); }

/// Signs `message` with the SM2 private key and user id; writes a DER signature (at most 72
/// bytes) into `signature`, returns its length or -1.
static inline long credit_sm2_sign(EVP_PKEY *key, const unsigned char *id, size_t id_length,
                                   const unsigned char *message, size_t length,
                                   unsigned char *signature, size_t capacity) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    long result = -1;
    if (md == NULL || pctx == NULL) goto done;
    if (EVP_PKEY_CTX_set1_id(pctx, id, (int)id_length) <= 0) goto done;
    EVP_MD_CTX_set_pkey_ctx(md, pctx);
    if (EVP_DigestSignInit_ex(md, NULL, "SM3", NULL, NULL, NULL, NULL) != 1) goto done;
    size_t n = capacity;
    if (EVP_DigestSign(md, signature, &n, message, length) != 1) goto done;
    result = (long)n;
done:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return result;
}

/// 1 when `signature` (DER) is a valid SM2 signature of `message` under the key and user id,
/// 0 when it is not, -1 on an internal error.
static inline int credit_sm2_verify(EVP_PKEY *key, const unsigned char *id, size_t id_length,
                                    const unsigned char *message, size_t length,
                                    const unsigned char *signature, size_t signature_length) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int result = -1;
    if (md == NULL || pctx == NULL) goto done;
    if (EVP_PKEY_CTX_set1_id(pctx, id, (int)id_length) <= 0) goto done;
    EVP_MD_CTX_set_pkey_ctx(md, pctx);
    if (EVP_DigestVerifyInit_ex(md, NULL, "SM3", NULL, NULL, NULL, NULL) != 1) goto done;
    result = EVP_DigestVerify(md, signature, signature_length, message, length) == 1 ? 1 : 0;
done:
    ERR_clear_error();
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return result;
}

/// SM3 of `length` bytes into `out` (32 bytes); 1 on success.
static inline int credit_sm3(const unsigned char *data, size_t length, unsigned char *out) {
    unsigned int n = 32;
    EVP_MD *md = EVP_MD_fetch(NULL, "SM3", NULL);
    if (md == NULL) return 0;
    int ok = EVP_Digest(data, length, out, &n, md, NULL);
    EVP_MD_free(md);
    return ok == 1 && n == 32;
}

#endif
