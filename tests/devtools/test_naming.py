"""Stage validation and artifact naming (pure functions of dev/deploy/deploytools)."""

import pytest

from deploytools import DeployError, naming


@pytest.mark.parametrize("name", ["deltacat-packages-dev", "abc", "a" * 63, "deltacat-packages-a.b"])
def test_valid_bucket_names(name):
    assert naming.bucket_name_problem(name) is None


@pytest.mark.parametrize(
    "name, reason",
    [
        ("ab", "3 to 63"),
        ("a" * 64, "3 to 63"),
        ("deltacat-packages-Bob", "'B'"),
        ("deltacat-packages-a_b", "'_'"),
        ("deltacat-packages-", "begin and end"),
        ("deltacat-packages-a..b", "adjacent dots"),
        ("deltacat-packages-a.-b", "next to a hyphen"),
        ("192.168.1.1", "IP address"),
        ("xn--deltacat", "reserved prefix"),
        ("deltacat-s3alias", "reserved suffix"),
    ],
)
def test_invalid_bucket_names_say_why(name, reason):
    problem = naming.bucket_name_problem(name)
    assert problem is not None and reason in problem


def test_stage_prefers_deltacat_stage_then_user():
    assert naming.resolve_stage({"DELTACAT_STAGE": "dev", "USER": "bob"}) == "dev"
    assert naming.resolve_stage({"DELTACAT_STAGE": "", "USER": "bob"}) == "bob"


def test_stage_that_makes_an_invalid_bucket_is_rejected_naming_its_source():
    with pytest.raises(DeployError, match=r"'Bob_Smith' \(from \$USER\).*invalid S3 bucket name"):
        naming.resolve_stage({"USER": "Bob_Smith"})
    with pytest.raises(DeployError, match=r"from \$DELTACAT_STAGE"):
        naming.resolve_stage({"DELTACAT_STAGE": "x" * 60})


def test_missing_stage_is_a_clear_error():
    with pytest.raises(DeployError, match="set DELTACAT_STAGE"):
        naming.resolve_stage({})


def test_tarball_build_tag_goes_after_the_version():
    assert (
        naming.tagged_tarball_name("deltacat-cpp-0.1.0-linux-x86_64.tar.gz", 1734630000)
        == "deltacat-cpp-0.1.0-1734630000-linux-x86_64.tar.gz"
    )
    with pytest.raises(DeployError):
        naming.tagged_tarball_name("deltacat.tar.gz", 1)


def test_wheel_build_tag_per_pep_491():
    assert (
        naming.tagged_wheel_name("deltacat_cpp-0.1.0-cp310-cp310-linux_x86_64.whl", 1734630000)
        == "deltacat_cpp-0.1.0-1734630000-cp310-cp310-linux_x86_64.whl"
    )
    # An existing build tag is replaced, not stacked.
    assert (
        naming.tagged_wheel_name("deltacat_cpp-0.1.0-7-py3-none-any.whl", 9)
        == "deltacat_cpp-0.1.0-9-py3-none-any.whl"
    )
    with pytest.raises(DeployError):
        naming.parse_wheel_name("deltacat-any.whl")


def test_names_for_a_stage():
    assert naming.package_bucket("dev") == "deltacat-packages-dev"
    assert naming.script_bucket("dev") == "deltacat-glue-scripts-dev"
    assert naming.job_name("dev") == "deltacat-runner-dev"
