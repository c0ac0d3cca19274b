#include "pgwire/copy_messages.hpp"

#include "pgwire/wire_writer.hpp"

namespace sqlwarden::pgwire {

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDATA
void encode(const CopyData& m, Bytes& out) {
  WireWriter w(out);
  w.begin('d');
  w.bytes(m.data);
  w.end();
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDONE
void encode(const CopyDone&, Bytes& out) {
  encodeEmptyMessage('c', out);
}

}  // namespace sqlwarden::pgwire
