"""An independent implementation of the sealed-secrets controller's hybrid format, written from
its description (RSA-OAEP SHA-256 with the scope's label, then AES-256-GCM with a zero nonce),
to prove labc's sealing interoperates.

  interop.py open SEALED.yaml KEY.pem      print the values of a sealed file, as JSON
  interop.py seal KEY.pem SCOPE NS NAME V  print a base64 ciphertext of V

The private key is tests/seal/test-only-private-key.pem: a test key, never a real one."""
import base64, json, os, struct, sys

import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def label(scope, ns, name):
    return {"strict": f"{ns}/{name}", "namespace-wide": ns, "cluster-wide": ""}[scope].encode()


def oaep(lbl):
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=lbl or None)


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def open_value(key, lbl, data):
    (n,) = struct.unpack(">H", data[:2])
    session = key.decrypt(data[2 : 2 + n], oaep(lbl))
    return AESGCM(session).decrypt(b"\0" * 12, data[2 + n :], None)


def seal_value(pub, lbl, value):
    session = os.urandom(32)
    wrapped = pub.encrypt(session, oaep(lbl))
    return struct.pack(">H", len(wrapped)) + wrapped + AESGCM(session).encrypt(b"\0" * 12, value, None)


def main(argv):
    if argv[1] == "open":
        with open(argv[2]) as f:
            obj = yaml.safe_load(f)
        ann = obj["spec"]["template"]["metadata"].get("annotations", {})
        scope = "cluster-wide" if ann.get("sealedsecrets.bitnami.com/cluster-wide") == "true" else (
            "namespace-wide" if ann.get("sealedsecrets.bitnami.com/namespace-wide") == "true" else "strict")
        meta = obj["metadata"]
        lbl = label(scope, meta["namespace"], meta["name"])
        key = load_key(argv[3])
        out = {k: open_value(key, lbl, base64.b64decode(v)).decode() for k, v in obj["spec"]["encryptedData"].items()}
        print(json.dumps(out, sort_keys=True))
    elif argv[1] == "seal":
        key = load_key(argv[2])
        data = seal_value(key.public_key(), label(argv[3], argv[4], argv[5]), argv[6].encode())
        print(base64.b64encode(data).decode())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
