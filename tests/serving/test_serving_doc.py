"""doc/serving.md's examples give the answers it shows: its ``curl`` commands (translated to the
same requests) and its ``ServiceClient`` Python block run, in the page's order, against
``tools/serve.py`` on the shipped model, and each answer must match the ``# ...`` line shown
under it (``...`` standing for any text, e.g. a score's further digits); its ``/rectify`` example
answers a PNG. The page also says
that ``/docs`` needs the internet and where the schema is offline, as the server's start-up line
does."""
import json
import shlex

import pytest

from ppocr.serving.service_client import ServiceClient, encode_multipart
from tests.helpers.doc_blocks import REPO, code_blocks, run_python, shown
from tests.helpers.serving import served

DOC = REPO / "doc" / "serving.md"
SHIPPED = "pretrained/rec_mv3_tps_bilstm_ctc_synth/inference"
DOC_PORT = "8868"


def curl_examples(text):
    """[(curl command, the answer shown under it)] of the doc's bash blocks, in order."""
    examples = []
    for block in code_blocks(text, "bash"):
        lines = block.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("curl ") and i + 1 < len(lines) and lines[i + 1].startswith("# "):
                examples.append((line, lines[i + 1][2:]))
    return examples


def send_curl(command, port):
    """The request ``curl`` would send for the doc's forms: -F field=@file, -H header --data-binary @file, GET."""
    args = shlex.split(command)[1:]
    url, fields, headers, body = args[-1], [], {}, None
    options = iter(args[:-1])
    for option in options:
        value = next(options)
        if option == "-F":
            field, path = value.split("=@")
            fields.append((field, path))
        elif option == "-H":
            name, header = value.split(": ")
            headers[name.lower()] = header
        elif option == "-o":
            pass  # curl's output file: the answer is read here instead
        elif option == "--data-binary":
            body = (REPO / value.lstrip("@")).read_bytes()
        else:
            raise AssertionError(f"the doc's curl option {option!r} is not translated by this test")
    path = url.split(f"127.0.0.1:{DOC_PORT}", 1)[1]
    client = ServiceClient("127.0.0.1", port)
    if fields:
        assert len({field for field, _ in fields}) == 1, command
        files = [(p.rsplit("/", 1)[-1], (REPO / p).read_bytes()) for _, p in fields]
        return client.request("POST", path, *encode_multipart(files, fields[0][0]))
    if body is not None:
        return client.request("POST", path, body=body, content_type=headers["content-type"])
    return client.request("GET", path)


@pytest.fixture(scope="module")
def shipped_server(tmp_path_factory):
    """tools/serve.py on the shipped model, as the doc starts it (on a free port)."""
    log = tmp_path_factory.mktemp("serving_doc") / "serve.log"
    with served(SHIPPED, log) as port:
        yield port, log


@pytest.mark.subprocess_tools
def test_the_docs_examples_give_the_answers_it_shows(shipped_server):
    port, _log = shipped_server
    text = DOC.read_text(encoding="utf-8")
    examples = curl_examples(text)
    assert len(examples) >= 4, f"the doc's curl examples were not found: {examples}"
    for command, answer in examples:
        status, body = send_curl(command, port)
        got = json.dumps(body, ensure_ascii=False, separators=(",", ":"))  # as FastAPI writes it
        assert status == 200 and shown(answer, got), f"{command}\n  the doc shows: {answer}\n  the service: {got}"

    (block,) = [b for b in code_blocks(text, "python") if "ServiceClient(" in b]
    expected = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    lines = run_python(block.replace(DOC_PORT, str(port)), "doc/serving.md ServiceClient example").splitlines()
    assert len(lines) == len(expected) >= 3, (lines, expected)
    for got, answer in zip(lines, expected):
        assert shown(answer, got), f"the doc shows: {answer}\n  ServiceClient gave: {got}"


def test_the_doc_and_the_start_up_line_say_docs_needs_the_internet(shipped_server):
    _port, log = shipped_server
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert "It needs the internet:" in text and "/openapi.json" in text
    assert "offline, read /openapi.json" in log.read_text()


@pytest.mark.subprocess_tools
def test_the_docs_rectify_example_answers_a_png(shipped_server):
    port, _log = shipped_server
    text = DOC.read_text(encoding="utf-8")
    (command,) = [line for block in code_blocks(text, "bash") for line in block.replace("\\\n", " ").splitlines()
                  if line.startswith("curl ") and "/rectify" in line]
    status, body = send_curl(command, port)
    assert status == 200 and body[1:4] == "PNG", (status, str(body)[:200])
