cmake_minimum_required(VERSION 3.25)
# Generates the built-in IANA service and protocol name tables from Debian's
# netbase files, so the daemon never reads /etc/services at run time.
# Inputs: SERVICES_FILE, PROTOCOLS_FILE, OUTPUT.

function(protocol_number name out)
  if(name STREQUAL "tcp")
    set(${out} 6 PARENT_SCOPE)
  elseif(name STREQUAL "udp")
    set(${out} 17 PARENT_SCOPE)
  elseif(name STREQUAL "sctp")
    set(${out} 132 PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(STRINGS "${SERVICES_FILE}" service_lines)
set(seen "")
set(entries "")
foreach(line IN LISTS service_lines)
  string(REGEX REPLACE "#.*" "" line "${line}")
  if(NOT line MATCHES "^([A-Za-z0-9._+-]+)[ \t]+([0-9]+)/([a-z]+)")
    continue()
  endif()
  set(name "${CMAKE_MATCH_1}")
  set(port "${CMAKE_MATCH_2}")
  protocol_number("${CMAKE_MATCH_3}" proto)
  if(proto STREQUAL "" OR port GREATER 65535)
    continue()
  endif()
  math(EXPR key "${proto} * 65536 + ${port}" OUTPUT_FORMAT DECIMAL)
  string(LENGTH "${key}" key_len)
  math(EXPR pad "8 - ${key_len}")
  string(REPEAT "0" ${pad} zeros)
  set(sort_key "${zeros}${key}")
  if(sort_key IN_LIST seen)
    continue()  # the first name listed for a port is the canonical one
  endif()
  list(APPEND seen "${sort_key}")
  list(APPEND entries "${sort_key}|${proto}|${port}|${name}")
endforeach()
list(SORT entries)

set(body "")
foreach(entry IN LISTS entries)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 1 proto)
  list(GET fields 2 port)
  list(GET fields 3 name)
  string(APPEND body "    {${proto}, ${port}, \"${name}\"},\n")
endforeach()
list(LENGTH entries service_count)

file(STRINGS "${PROTOCOLS_FILE}" protocol_lines)
set(protocols "")
set(seen_protocols "")
foreach(line IN LISTS protocol_lines)
  string(REGEX REPLACE "#.*" "" line "${line}")
  if(NOT line MATCHES "^([A-Za-z0-9._+-]+)[ \t]+([0-9]+)")
    continue()
  endif()
  if(CMAKE_MATCH_2 GREATER 255 OR "${CMAKE_MATCH_2}" IN_LIST seen_protocols)
    continue()
  endif()
  list(APPEND seen_protocols "${CMAKE_MATCH_2}")
  string(APPEND protocols "    {${CMAKE_MATCH_2}, \"${CMAKE_MATCH_1}\"},\n")
endforeach()
list(LENGTH seen_protocols protocol_count)

file(WRITE "${OUTPUT}.tmp" "// Generated from ${SERVICES_FILE} and ${PROTOCOLS_FILE}; do not edit.
#include \"onefirewall_flowd/enrich/service_table_data.h\"

namespace flowd::generated {

const ServiceEntry kServices[] = {
${body}};
const size_t kServiceCount = ${service_count};

const ProtocolEntry kProtocols[] = {
${protocols}};
const size_t kProtocolCount = ${protocol_count};

}  // namespace flowd::generated
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
