#!/usr/bin/env python3
"""Dev-only JWT helper for the sqlwarden sandbox (never use these keys for anything real).

  mint_token.py jwks                       print the JWKS of the two dev keys (jwks.json)
  mint_token.py token --user NAME [...]    print a signed token to use as the password

Token options: --group G (repeatable), --claim NAME=VALUE (repeatable),
--alg RS256|ES256, --expires-in SECONDS (negative: already expired),
--issuer, --audience, --key PEM (sign with another key: a forged token),
--kid KID.  Needs only python3 and the openssl command.
"""
import argparse, base64, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = {"RS256": os.path.join(HERE, "jwt-rs256.key"), "ES256": os.path.join(HERE, "jwt-es256.key")}
KIDS = {"RS256": "dev-rs256", "ES256": "dev-es256"}
ISSUER = "https://idp.sqlwarden.invalid"
AUDIENCE = "sqlwarden"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None) -> bytes:
    return subprocess.run(["openssl", *args], input=data, check=True, capture_output=True).stdout


def jwks() -> dict:
    modulus = openssl("rsa", "-in", KEYS["RS256"], "-noout", "-modulus").decode().strip().split("=", 1)[1]
    n = bytes.fromhex(modulus)
    point = openssl("ec", "-in", KEYS["ES256"], "-pubout", "-outform", "DER")[-65:]
    assert point[0] == 4
    return {"keys": [
        {"kty": "RSA", "kid": KIDS["RS256"], "use": "sig", "alg": "RS256", "n": b64url(n), "e": b64url((65537).to_bytes(3, "big"))},
        {"kty": "EC", "kid": KIDS["ES256"], "use": "sig", "alg": "ES256", "crv": "P-256",
         "x": b64url(point[1:33]), "y": b64url(point[33:65])},
    ]}


def der_to_raw(der: bytes) -> bytes:
    # ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
    def read_len(b, i):
        if b[i] < 0x80:
            return b[i], i + 1
        k = b[i] & 0x7F
        return int.from_bytes(b[i + 1:i + 1 + k], "big"), i + 1 + k
    assert der[0] == 0x30
    _, i = read_len(der, 1)
    out = b""
    for _ in range(2):
        assert der[i] == 0x02
        ln, i = read_len(der, i + 1)
        out += int.from_bytes(der[i:i + ln], "big").to_bytes(32, "big")
        i += ln
    return out


def token(args) -> str:
    now = int(time.time())
    claims = {"iss": args.issuer, "aud": args.audience, "sub": args.user, "preferred_username": args.user,
              "iat": now, "nbf": now, "exp": now + args.expires_in}
    if args.group:
        claims["groups"] = args.group
    for c in args.claim:
        k, v = c.split("=", 1)
        claims[k] = v
    header = {"alg": args.alg, "typ": "JWT", "kid": args.kid or KIDS[args.alg]}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
    sig = openssl("dgst", "-sha256", "-sign", args.key or KEYS[args.alg], data=signing_input)
    if args.alg == "ES256":
        sig = der_to_raw(sig)
    return signing_input.decode() + "." + b64url(sig)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("jwks")
    t = sub.add_parser("token")
    t.add_argument("--user", required=True)
    t.add_argument("--group", action="append", default=[])
    t.add_argument("--claim", action="append", default=[])
    t.add_argument("--alg", choices=["RS256", "ES256"], default="RS256")
    t.add_argument("--expires-in", type=int, default=3600)
    t.add_argument("--issuer", default=ISSUER)
    t.add_argument("--audience", default=AUDIENCE)
    t.add_argument("--key")
    t.add_argument("--kid")
    args = p.parse_args()
    if args.cmd == "jwks":
        print(json.dumps(jwks(), indent=2))
    else:
        print(token(args))


if __name__ == "__main__":
    main()
