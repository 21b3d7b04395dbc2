"""deploy/k8s/ and deploy/docker/: schema validation and the references between them.

Schemas: kubernetes-validate (pinned in requirements.txt) bundles the Kubernetes JSON schemas, so
this runs offline. 1.28.3 is the newest release compatible with Rasa 3.6's jsonschema<4.18;
KUBERNETES_VERSION is the newest schema set it bundles, in strict mode (unknown fields fail).
No container engine or cluster is involved: nothing here builds an image or applies a manifest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
DOCKER = ROOT / "deploy" / "docker"
KUBERNETES_VERSION = "1.28.0"
NAMESPACE = "ptsp"

MANIFEST_FILES = sorted(K8S.glob("*.yml")) + sorted(K8S.glob("*.yaml"))


def load_documents(path: Path) -> list[dict]:
    docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    assert docs, f"{path.name} holds no resource"
    return docs


def all_resources() -> list[tuple[str, dict]]:
    return [(path.name, doc) for path in MANIFEST_FILES for doc in load_documents(path)]


def by_kind(resources: list[tuple[str, dict]], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for _, doc in resources if doc["kind"] == kind}


def pod_spec(resource: dict) -> dict:
    return resource["spec"]["template"]["spec"]


def containers(resource: dict, init: bool = True) -> list[dict]:
    spec = pod_spec(resource)
    return spec.get("containers", []) + (spec.get("initContainers", []) if init else [])


def container_port(container: dict, port: int | str) -> int:
    """The containerPort a probe or Service port (number or name) refers to; fails if none."""
    ports = container.get("ports", [])
    if isinstance(port, int):
        assert port in [p["containerPort"] for p in ports], (
            f"{container['name']}: port {port} is not a containerPort {ports}"
        )
        return port
    named = {p.get("name"): p["containerPort"] for p in ports}
    assert port in named, f"{container['name']}: no container port named {port!r} in {ports}"
    return named[port]


@pytest.fixture(scope="module")
def resources() -> list[tuple[str, dict]]:
    return all_resources()


def test_manifest_directory_is_complete(resources):
    kinds = sorted({doc["kind"] for _, doc in resources})
    assert kinds == sorted([
        "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "Namespace",
        "NetworkPolicy", "PersistentVolumeClaim", "Secret", "Service",
    ])
    assert set(by_kind(resources, "Deployment")) == {"rasa", "actions", "web"}
    assert set(by_kind(resources, "Service")) == {"rasa", "actions", "web"}
    assert set(by_kind(resources, "HorizontalPodAutoscaler")) == {"rasa", "actions"}
    replicas = {name: d["spec"]["replicas"] for name, d in by_kind(resources, "Deployment").items()}
    assert replicas == {"rasa": 2, "actions": 2, "web": 1}


@pytest.mark.parametrize("path", MANIFEST_FILES, ids=lambda p: p.name)
def test_manifest_is_valid_against_kubernetes_schema(path):
    import kubernetes_validate

    for doc in load_documents(path):
        try:
            validated = kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(p) for p in error.path)
            pytest.fail(f"{path.name} {doc['kind']}/{doc['metadata']['name']}: {where}: "
                        f"{error.message}")
        except (kubernetes_validate.SchemaNotFoundError,
                kubernetes_validate.InvalidSchemaError) as error:
            pytest.fail(f"{path.name}: no usable schema: {error.message}")
        assert validated == "1.28"


def test_schema_validation_catches_mistakes():
    """The validator really is strict: an unknown field and a wrong type both fail."""
    import kubernetes_validate

    deployment = load_documents(K8S / "20-rasa-deployment.yml")[0]
    typo = yaml.safe_load(yaml.safe_dump(deployment))
    typo["spec"]["replicass"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, KUBERNETES_VERSION, strict=True)
    wrong_type = yaml.safe_load(yaml.safe_dump(deployment))
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "5005"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong_type, KUBERNETES_VERSION, strict=True)


def test_every_namespaced_resource_is_in_the_namespace(resources):
    namespaces = by_kind(resources, "Namespace")
    assert list(namespaces) == [NAMESPACE]
    for name, doc in resources:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == NAMESPACE, f"{name}: {doc['kind']}"


def test_env_references_exist(resources):
    config_maps = by_kind(resources, "ConfigMap")
    secrets = by_kind(resources, "Secret")
    workloads = list(by_kind(resources, "Deployment").values()) + list(
        by_kind(resources, "Job").values())
    for workload in workloads:
        for container in containers(workload):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps, workload["metadata"]
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, workload["metadata"]
            for var in container.get("env", []):
                ref = var.get("valueFrom", {})
                if "configMapKeyRef" in ref:
                    cm = config_maps[ref["configMapKeyRef"]["name"]]
                    assert ref["configMapKeyRef"]["key"] in cm["data"]
                if "secretKeyRef" in ref:
                    secret = secrets[ref["secretKeyRef"]["name"]]
                    assert ref["secretKeyRef"]["key"] in secret["stringData"]


def test_services_select_a_deployment_and_target_its_port(resources):
    deployments = by_kind(resources, "Deployment")
    for name, service in by_kind(resources, "Service").items():
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
        selector = service["spec"]["selector"]
        matches = [d for d in deployments.values()
                   if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matches) == 1, f"Service {name} selects {len(matches)} Deployments"
        deployment = matches[0]
        # The Deployment's own selector must select its pods, too.
        assert (deployment["spec"]["selector"]["matchLabels"].items()
                <= deployment["spec"]["template"]["metadata"]["labels"].items())
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            found = [c for c in containers(deployment, init=False)
                     if target in [p["containerPort"] for p in c.get("ports", [])]
                     + [p.get("name") for p in c.get("ports", [])]]
            assert found, f"Service {name}: targetPort {target} is no container port"


def test_hpas_target_deployments(resources):
    deployments = by_kind(resources, "Deployment")
    for name, hpa in by_kind(resources, "HorizontalPodAutoscaler").items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment" and target["apiVersion"] == "apps/v1"
        assert target["name"] in deployments, f"HPA {name} scales unknown {target['name']}"
        deployment = deployments[target["name"]]
        assert hpa["spec"]["minReplicas"] <= deployment["spec"]["replicas"]
        assert hpa["spec"]["maxReplicas"] >= hpa["spec"]["minReplicas"]
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        # CPU utilization is relative to the request: every container must have one.
        for container in containers(deployment, init=False):
            assert "cpu" in container["resources"]["requests"], container["name"]


def test_probes_use_container_ports(resources):
    expected = {"rasa": ("/", 5005), "actions": ("/health", 5055), "web": ("/healthz", 8080)}
    for name, deployment in by_kind(resources, "Deployment").items():
        for container in containers(deployment, init=False):
            assert container.get("readinessProbe") and container.get("livenessProbe"), name
            assert container["resources"].get("requests") and container["resources"].get(
                "limits"), name
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                if probe is None:
                    continue
                port = container_port(container, probe["httpGet"]["port"])
                assert (probe["httpGet"]["path"], port) == expected[name], (name, kind)


def test_models_volume_is_shared_by_job_and_rasa(resources):
    claims = by_kind(resources, "PersistentVolumeClaim")
    assert "models" in claims
    rasa = by_kind(resources, "Deployment")["rasa"]
    job = by_kind(resources, "Job")["train-model"]

    def claim_volumes(workload: dict) -> dict[str, dict]:
        return {v["name"]: v["persistentVolumeClaim"] for v in pod_spec(workload)["volumes"]
                if "persistentVolumeClaim" in v}

    for workload in (rasa, job):
        for volume in claim_volumes(workload).values():
            assert volume["claimName"] in claims
    rasa_volume = [n for n, v in claim_volumes(rasa).items() if v["claimName"] == "models"][0]
    mounts = [m for c in containers(rasa) for m in c.get("volumeMounts", [])
              if m["name"] == rasa_volume]
    assert mounts and all(m.get("readOnly") for m in mounts), "rasa must mount models read-only"
    assert {m["mountPath"] for m in mounts} == {"/app/models"}
    init = pod_spec(rasa)["initContainers"]
    assert any("/app/models/*.tar.gz" in " ".join(c["command"]) for c in init)
    job_mounts = [m for c in containers(job) for m in c.get("volumeMounts", [])]
    assert [(m["mountPath"], m.get("readOnly", False)) for m in job_mounts] == [
        ("/app/models", False)]


def test_secret_values_are_placeholders(resources):
    for name, secret in by_kind(resources, "Secret").items():
        assert "data" not in secret, f"Secret {name}: use stringData placeholders"
        for key, value in secret["stringData"].items():
            assert value.startswith("REPLACE_ME"), f"Secret {name}.{key} is not a placeholder"


def test_configmap_points_rasa_at_the_actions_service(resources):
    config = by_kind(resources, "ConfigMap")["ptsp-config"]["data"]
    services = by_kind(resources, "Service")
    for key, service in (("ACTION_SERVER_URL", "actions"), ("RASA_URL", "rasa")):
        match = re.fullmatch(r"http://([a-z0-9-]+)(?:\.([a-z0-9-]+)\.svc\.cluster\.local)?"
                             r":(\d+)(/.*)?", config[key])
        assert match, config[key]
        assert match.group(1) == service and match.group(2) in (None, NAMESPACE)
        assert int(match.group(3)) in [p["port"] for p in services[service]["spec"]["ports"]]
    assert config["ACTION_SERVER_URL"].endswith("/webhook")
    # Every variable endpoints.prod.yml expands is set by the ConfigMap or the Secret.
    profile = [line.split("#")[0]
               for line in (ROOT / "endpoints.prod.yml").read_text(encoding="utf-8").splitlines()]
    needed = set(re.findall(r"\$\{(\w+)\}", "\n".join(profile)))
    provided = set(config) | set(by_kind(resources, "Secret")["ptsp-secrets"]["stringData"])
    assert needed and needed <= provided, needed - provided


def dockerfile_command(path: Path) -> tuple[str, set[int]]:
    """The CMD/ENTRYPOINT text (continuation lines joined) and the EXPOSEd ports."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    command = " ".join(
        line.split(None, 1)[1] for line in text.splitlines()
        if line.split(None, 1)[:1] in (["CMD"], ["ENTRYPOINT"]) and len(line.split()) > 1
    )
    exposed = {int(p.split("/")[0]) for line in text.splitlines()
               if line.startswith("EXPOSE") for p in line.split()[1:]}
    return command, exposed


@pytest.mark.parametrize("component", ["rasa", "actions", "web"])
def test_dockerfile_port_matches_service_target_port(component, resources):
    dockerfile = DOCKER / f"{component}.Dockerfile"
    command, exposed = dockerfile_command(dockerfile)
    assert command, f"{dockerfile.name} has no CMD/ENTRYPOINT"
    ports = {int(p) for p in re.findall(r"--port\W+(\d+)", command)}
    assert len(ports) == 1, f"{dockerfile.name}: expected one --port in {command!r}"
    (port,) = ports
    assert exposed == {port}, f"{dockerfile.name}: EXPOSE {exposed} but the command uses {port}"

    deployment = by_kind(resources, "Deployment")[component]
    (container,) = containers(deployment, init=False)
    assert container["image"] == f"ptsp/{component}:latest"
    (service_port,) = by_kind(resources, "Service")[component]["spec"]["ports"]
    target = container_port(container, service_port.get("targetPort", service_port["port"]))
    assert target == port, f"{component}: Service targets {target}, the image listens on {port}"


def test_dockerfiles_base_and_commands():
    for component in ("rasa", "actions", "web"):
        text = (DOCKER / f"{component}.Dockerfile").read_text(encoding="utf-8")
        assert re.search(r"^FROM python:3\.10-slim\s*$", text, re.M), component
        assert "-c requirements.lock" in text, component
    rasa, _ = dockerfile_command(DOCKER / "rasa.Dockerfile")
    for part in ("python -m channels.launch run --model models", "--endpoints endpoints.prod.yml",
                 "--credentials credentials.yml", "--enable-api"):
        assert part in rasa, part
    assert "--auth-token" not in rasa  # the launcher adds it from RASA_TOKEN (not in `ps`)
    actions, _ = dockerfile_command(DOCKER / "actions.Dockerfile")
    assert '"run", "actions", "--actions", "actions"' in actions
    web, _ = dockerfile_command(DOCKER / "web.Dockerfile")
    assert '"python", "-m", "web"' in web


def test_dockerignore_keeps_the_context_small():
    ignored = {line.strip().rstrip("/") for line in
               (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", "models", "var", "results", "tests/artifacts", ".git"} <= ignored


def test_only_rasa_reaches_the_action_server(resources):
    policy = next(doc for _, doc in resources if doc["kind"] == "NetworkPolicy")
    actions = by_kind(resources, "Deployment")["actions"]
    rasa = by_kind(resources, "Deployment")["rasa"]
    assert policy["spec"]["podSelector"]["matchLabels"] == \
        actions["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = policy["spec"]["ingress"]
    assert [f["podSelector"]["matchLabels"] for f in rule["from"]] == [
        rasa["spec"]["template"]["metadata"]["labels"]]
    assert rule["ports"] == [{"protocol": "TCP", "port": 5055}]


def test_production_cookies_are_secure():
    config = load_documents(K8S / "01-configmap.yml")[0]["data"]
    assert config["PTSP_SECURE_COOKIES"] == "true"
    assert "PTSP_TRUSTED_PROXIES" in config
