"""Headless Chromium driven by Selenium, for the service page's test and its screenshot
(doc/make_pictures.py): Debian's ``chromium`` and ``chromium-driver`` packages (``.ci/run``
installs them), nothing downloaded when it runs.

Example::

    with chromium() as browser:
        browser.get("http://127.0.0.1:8868/")
"""
import contextlib
import importlib.util
import os
import shutil
import tempfile

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# as root Chromium needs --no-sandbox; the rest keeps it from reaching the network on its own
ARGUMENTS = ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
             "--window-size=1000,1100")


def missing():
    """Why the browser cannot run here (what to install), or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            return f"{path} is missing: apt-get install -y {package} (.ci/run does)"
    if importlib.util.find_spec("selenium") is None:
        return "the selenium package is missing: pip install -e '.[test]'"
    return None


@contextlib.contextmanager
def chromium(page_load_timeout=120):
    """A headless Chromium WebDriver with a new profile folder, quit and removed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium_profile_")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (*ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    # the driver named, Selenium Manager never looks for (or downloads) one
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(page_load_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
