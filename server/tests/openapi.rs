//! The server's routes and `api/openapi.yaml` must describe the same API.

use std::collections::BTreeSet;

use hromada_server::http::api_routes;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn document() -> serde_yaml::Value {
    let text = include_str!("../../api/openapi.yaml");
    serde_yaml::from_str(text).expect("api/openapi.yaml is valid YAML")
}

#[test]
fn routes_and_openapi_agree_both_ways() {
    let doc = document();
    let paths = doc["paths"].as_mapping().expect("paths");
    let mut documented = BTreeSet::new();
    for (path, item) in paths {
        let path = path.as_str().expect("path");
        for (key, _) in item.as_mapping().expect("path item") {
            let key = key.as_str().expect("key");
            if METHODS.contains(&key) {
                documented.insert((key.to_owned(), path.to_owned()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = api_routes()
        .routes()
        .into_iter()
        .map(|(verb, path)| (verb.as_str().to_owned(), path))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served but not in api/openapi.yaml: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "in api/openapi.yaml but not served: {unserved:?}"
    );
}

#[test]
fn openapi_basics() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["servers"][0]["url"].as_str(), Some("/api/v1"));
    // Every operation has an id, and every 4xx response is a shared problem+json response.
    for (_, item) in doc["paths"].as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            if !METHODS.contains(&method.as_str().unwrap()) {
                continue;
            }
            assert!(op["operationId"].as_str().is_some(), "{method:?}");
            for (status, resp) in op["responses"].as_mapping().unwrap() {
                let code = match status {
                    serde_yaml::Value::String(s) => s.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    _ => panic!("status"),
                };
                if code.starts_with('4') {
                    let r = resp["$ref"].as_str().unwrap_or("");
                    assert!(r.starts_with("#/components/responses/"), "{code}: {resp:?}");
                }
            }
        }
    }
}
