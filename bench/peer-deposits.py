"""The PyPI peer `chorus-api` (cnfilms/chorus-api) depositing one file COUNT times, one after the other,
as its README shows (`auth()` then `deposer_flux`), against the simulator. Unmodified: only its two URLs
are pointed at the simulator (it builds every URL from `api_url` and `auth_url`, set from module
constants in `API.__init__`). Timed from the first deposit to the last, the token fetched before.
    python peer-deposits.py PORT FILE COUNT SYNTAX   -> "BENCH deposits_per_s R"
"""
import sys
import time

from chorusapi.client import ChorusAPI
from chorusapi.utils.chorus_utils import base_64_encode_file

port, path, count, syntax = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
api = ChorusAPI(
    client_id="5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1",
    client_secret="sim-secret-0f9c4b7e2d",
    tech_username="TECH_1_98765432100015@cpro.fr",
    tech_password="Fournisseur-Alpha-2026!",
    sandbox=True,
)
api.auth_url = f"http://127.0.0.1:{port}/api/oauth/token"
api.api_url = f"http://127.0.0.1:{port}"
api.auth()
start = time.monotonic()
for _ in range(count):
    answer = api.auth().deposer_flux(fichier_flux=base_64_encode_file(path), file_name="f.xml", syntaxe_flux=syntax)
    assert answer.code_retour == 0 and answer.numero_flux_depot, vars(answer)
print(f"BENCH deposits_per_s {count / (time.monotonic() - start):.1f}")
