#include "pgwire/error_builder.hpp"

#include <string>

namespace sqlwarden::pgwire {

ErrorBuilder::ErrorBuilder(std::string_view severity, std::string_view sqlstate,
                           std::string_view message) {
  add('S', severity);
  add('V', severity);
  add('C', sqlstate);
  add('M', message);
}

ErrorBuilder& ErrorBuilder::position(uint32_t pos) {
  return add('P', std::to_string(pos));
}
ErrorBuilder& ErrorBuilder::internalPosition(uint32_t pos) {
  return add('p', std::to_string(pos));
}
ErrorBuilder& ErrorBuilder::line(uint32_t line) {
  return add('L', std::to_string(line));
}

ErrorBuilder& ErrorBuilder::add(uint8_t code, std::string_view value) {
  if (code != 0) fields_.fields.push_back(ErrorField{code, std::string(value)});
  return *this;
}

}  // namespace sqlwarden::pgwire
