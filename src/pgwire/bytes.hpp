#pragma once
// Byte buffers of the wire codec, and the wiping variants that hold secrets.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sqlwarden::pgwire {

/// An owned run of wire bytes: a whole frame, a CopyData payload, a parameter value.
using Bytes = std::vector<uint8_t>;

/// A view of wire bytes; what the decoders read from.
using ByteView = std::span<const uint8_t>;

/// Overwrites `size` bytes at `data` with zeros in a way the compiler may not
/// elide (OPENSSL_cleanse). A null `data` is allowed when `size` is 0.
void secureWipe(void* data, std::size_t size);

/// A std::allocator that wipes memory before giving it back, so passwords,
/// salted passwords and keys do not linger in freed heap blocks (also not in
/// the block a vector or string leaves behind when it grows).
template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>&) {}
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) {
    secureWipe(p, n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  bool operator==(const WipingAllocator<U>&) const {
    return true;
  }
};

/// Bytes that hold a secret (a PasswordMessage payload, a SCRAM key); wiped when freed.
using SecretBytes = std::vector<uint8_t, WipingAllocator<uint8_t>>;

/// Text that holds a secret (a password); wiped when destroyed, moved from or
/// wipe()d. Copies are separate secrets, each wiped on its own.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string_view text) : bytes_(text.begin(), text.end()) {}
  SecretString(const SecretString&) = default;
  SecretString(SecretString&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }
  SecretString& operator=(const SecretString&) = default;
  SecretString& operator=(SecretString&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    other.wipe();
    return *this;
  }
  ~SecretString() { wipe(); }

  /// The secret; valid while this object lives and is not changed.
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  bool empty() const { return bytes_.empty(); }
  std::size_t size() const { return bytes_.size(); }
  /// Zeroes and empties the secret now.
  void wipe() {
    secureWipe(bytes_.data(), bytes_.size());
    bytes_.clear();
  }

 private:
  // A vector, not a std::string: its bytes are always on the heap, so the
  // wiping allocator sees every copy of them.
  SecretBytes bytes_;
};

/// The bytes of `text`, for building messages from string literals.
inline Bytes toBytes(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

/// `bytes` as text (no check that it is valid UTF-8).
inline std::string_view asText(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace sqlwarden::pgwire
