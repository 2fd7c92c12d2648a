#!/usr/bin/python3
"""An IPFIX-over-TCP exporter built on Debian's python3-ipfix, an encoder that
is not ours. It names interfaces 3 "outside" and 5 "inside" in options data
(scope ingressInterface, field interfaceName), then sends FLOWS flows between
two hosts of one network: even ones come in through "outside" to 10.0.0.5:443,
odd ones leave through it from 10.0.0.5 to port 22.

usage: ipfix_tcp_exporter.py PORT FLOWS
"""
import ipaddress
import socket
import sys
from datetime import datetime, timezone

import ipfix.ie
import ipfix.template
import ipfix.writer

INSIDE_HOST = ipaddress.ip_address("10.0.0.5")
OTHER_HOST = ipaddress.ip_address("10.9.9.9")


def flow(i, now):
    inbound = i % 2 == 0
    return {
        "sourceIPv4Address": OTHER_HOST if inbound else INSIDE_HOST,
        "destinationIPv4Address": INSIDE_HOST if inbound else OTHER_HOST,
        "sourceTransportPort": 51000 + i if inbound else 40000 + i,
        "destinationTransportPort": 443 if inbound else 22,
        "protocolIdentifier": 6,
        "ingressInterface": 3 if inbound else 5,
        "egressInterface": 5 if inbound else 3,
        "octetDeltaCount": 1500,
        "packetDeltaCount": 3,
        "flowStartMilliseconds": now,
        "flowEndMilliseconds": now,
    }


def main():
    port, flows = int(sys.argv[1]), int(sys.argv[2])
    ipfix.ie.use_iana_default()
    names = ipfix.template.for_specs(256, "ingressInterface", "interfaceName[16]")
    names.scopecount = 1
    records = ipfix.template.for_specs(
        257, "sourceIPv4Address", "destinationIPv4Address", "sourceTransportPort",
        "destinationTransportPort", "protocolIdentifier", "ingressInterface", "egressInterface",
        "octetDeltaCount", "packetDeltaCount", "flowStartMilliseconds", "flowEndMilliseconds")
    # The library counts milliseconds from a naive 1970 epoch.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with socket.create_connection(("127.0.0.1", port)) as sock, sock.makefile("wb") as stream:
        writer = ipfix.writer.to_stream(stream)
        writer.set_domain(7)
        writer.add_template(names)
        writer.add_template(records)
        writer.set_export_template(256)
        writer.export_namedict({"ingressInterface": 3, "interfaceName": "outside"})
        writer.export_namedict({"ingressInterface": 5, "interfaceName": "inside"})
        writer.flush()
        writer.set_export_template(257)
        for i in range(flows):
            writer.export_namedict(flow(i, now))
        writer.flush()


if __name__ == "__main__":
    main()
