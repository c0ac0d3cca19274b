#pragma once
// The COPY sub-protocol messages that both sides send.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

/// CopyData ('d'): a chunk of the COPY data stream, either direction.
struct CopyData {
  Bytes data;
  bool operator==(const CopyData&) const = default;
};

/// CopyDone ('c'): the sender has no more COPY data; either direction.
struct CopyDone {
  bool operator==(const CopyDone&) const = default;
};

/// Encodes `m` as a whole frame appended to `out`.
void encode(const CopyData& m, Bytes& out);
void encode(const CopyDone& m, Bytes& out);

}  // namespace sqlwarden::pgwire
