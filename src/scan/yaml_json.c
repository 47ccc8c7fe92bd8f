/* YAML to JSON (jansson) with libyaml, for Alpine's secdb in its YAML form.
 * Scalars stay strings; anchors and aliases are refused (no billion laughs). */
#include "scan/yaml_json.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <yaml.h>

static json_t *node_to_json(yaml_document_t *doc, yaml_node_t *node, int depth, size_t *budget)
{
        if (!node || depth > 64 || (*budget)-- == 0)
                return NULL;
        switch (node->type) {
        case YAML_SCALAR_NODE:
                return json_stringn((const char *)node->data.scalar.value,
                                    node->data.scalar.length);
        case YAML_SEQUENCE_NODE: {
                json_t *arr = json_array();
                for (yaml_node_item_t *it = node->data.sequence.items.start;
                     it < node->data.sequence.items.top; it++) {
                        json_t *v =
                            node_to_json(doc, yaml_document_get_node(doc, *it), depth + 1, budget);
                        if (!v) {
                                json_decref(arr);
                                return NULL;
                        }
                        json_array_append_new(arr, v);
                }
                return arr;
        }
        case YAML_MAPPING_NODE: {
                json_t *obj = json_object();
                for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
                     p < node->data.mapping.pairs.top; p++) {
                        yaml_node_t *k = yaml_document_get_node(doc, p->key);
                        if (!k || k->type != YAML_SCALAR_NODE) {
                                json_decref(obj);
                                return NULL;
                        }
                        json_t *v = node_to_json(doc, yaml_document_get_node(doc, p->value),
                                                 depth + 1, budget);
                        if (!v) {
                                json_decref(obj);
                                return NULL;
                        }
                        _cleanup_free_ char *key =
                            bh_xstrndup((const char *)k->data.scalar.value, k->data.scalar.length);
                        json_object_set_new(obj, key, v);
                }
                return obj;
        }
        default:
                return NULL;
        }
}

json_t *bh_yaml_to_json(const char *data, size_t len, const char *what, struct bh_error *err)
{
        /* aliases could expand a small file into a huge tree: none in the data we read */
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
                bh_error_set(err, EBADMSG, "%s: line %zu: %s", what, parser.problem_mark.line + 1,
                             parser.problem ? parser.problem : "not YAML");
                yaml_parser_delete(&parser);
                return NULL;
        }
        size_t budget = 512u << 10; /* nodes */
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        json_t *j = root ? node_to_json(&doc, root, 0, &budget) : NULL;
        if (!j)
                bh_error_set(err, EBADMSG, "%s: not a YAML document of the expected shape", what);
        yaml_document_delete(&doc);
        yaml_parser_delete(&parser);
        return j;
}
