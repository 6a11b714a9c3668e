"""Shared pieces of DeltaCAT C++'s deploy tools (`make deploy-s3` and the runner).

Everything talks to AWS through boto3's standard configuration: credentials, region and
endpoint come from the usual AWS_* variables and files, so the same code runs against a real
account or against moto_server (AWS_ENDPOINT_URL=http://127.0.0.1:<port>) unchanged.
"""


class DeployError(Exception):
    """A problem the user can fix (bad stage, missing artifact, taken bucket...).

    The tools print its message and exit with status 2 instead of a traceback.
    """
