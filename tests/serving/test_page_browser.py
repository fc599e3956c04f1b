"""The service's page at ``/``, in a real browser: headless Chromium loads it from ``tools/serve.py``
(the shipped STAR-Net), the bundled samples (doc/imgs_words_en/) are chosen in its file input,
one more is dropped on it, and what the page shows (the model's name and dictionary, each
reading and score, the rectified picture) is read back from the page and checked against the
pipeline's own readings (``TextRecognizer`` on the same folder). The page fetches nothing from
elsewhere (no CDN): every resource it loads comes from the service."""
import base64

import pytest

from ppocr.inference.predictor import TextRecognizer
from tests.helpers.browser import chromium, missing
from tests.helpers.e2e import REPO
from tests.helpers.serving import served

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(missing() is not None, reason=f"no headless browser: {missing()}")]

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
SAMPLES = sorted((REPO / "doc" / "imgs_words_en").glob("*.png"))
WAIT = 240  # seconds: the first rectified image loads the dygraph model, on a busy machine


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """(browser at the page, the server's address)."""
    from selenium.webdriver.support.ui import WebDriverWait

    with served(SHIPPED, tmp_path_factory.mktemp("page") / "serve.log") as port:
        address = f"http://127.0.0.1:{port}"
        with chromium() as browser:
            browser.get(address + "/")
            WebDriverWait(browser, WAIT).until(lambda b: b.execute_script("return document.body.dataset.model"))
            yield browser, address


def results(browser, count):
    """[{name, text, score, shown, rectified width}] of the page's rows once ``count`` are done."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT, poll_frequency=0.5).until(
        lambda b: b.execute_script("return document.querySelectorAll('.result[data-state=done]').length") >= count)
    return browser.execute_script("""
        return [...document.querySelectorAll('.result')].map((row) => {
          const picture = row.querySelector('img.rectified');
          return {name: row.dataset.name, text: row.dataset.text, score: Number(row.dataset.score),
                  shown: row.querySelector('.text').textContent, score_shown: row.querySelector('.score').textContent,
                  rectified: picture ? picture.naturalWidth : 0};
        });""")


def expected_readings(paths):
    return dict(zip([p.name for p in paths], TextRecognizer(str(SHIPPED))([str(p) for p in paths])))


def test_the_page_names_the_model_and_its_dictionary(page):
    from selenium.webdriver.common.by import By

    browser, _ = page
    assert browser.find_element(By.ID, "model-name").text == "rec_mv3_tps_bilstm_ctc_synth/inference"
    assert browser.find_element(By.ID, "algorithm").text == "STARNet"
    assert browser.execute_script("return document.getElementById('characters').textContent") == \
        "0123456789abcdefghijklmnopqrstuvwxyz"


def test_chosen_images_show_the_pipelines_readings_and_rectified_pictures(page):
    from selenium.webdriver.common.by import By

    browser, address = page
    browser.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in SAMPLES))
    rows = results(browser, len(SAMPLES))
    expected = expected_readings(SAMPLES)
    assert sorted(row["name"] for row in rows) == sorted(expected)
    for row in rows:
        text, score = expected[row["name"]]
        assert (row["text"], row["shown"]) == (text, text), row
        # the page shows the service's score to 3 decimals; the service batches images otherwise than one call
        # here, which moves a score in its last digits only
        assert row["score"] == pytest.approx(score, abs=1e-3) and row["score_shown"] == f"score {row['score']:.3f}", row
        assert row["rectified"] > 0, f"no rectified picture for {row['name']}"
    # offline: every resource the page loaded came from the service itself
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    assert loaded and all(url.startswith(address) or url.startswith("blob:") for url in loaded), loaded


def test_a_dropped_image_is_read_too(page):
    browser, _ = page
    before = len(browser.find_elements("css selector", ".result"))
    sample = SAMPLES[0]
    browser.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], arguments[1], {type: 'image/png'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true}));
        """, base64.b64encode(sample.read_bytes()).decode(), "dropped.png")
    rows = results(browser, before + 1)
    dropped = [row for row in rows if row["name"] == "dropped.png"]
    text, score = expected_readings([sample])[sample.name]
    assert len(dropped) == 1 and dropped[0]["text"] == text and dropped[0]["score"] == pytest.approx(score, abs=1e-3)
