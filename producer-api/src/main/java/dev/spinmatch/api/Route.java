package dev.spinmatch.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.URIUtil;

/**
 * A method and a path template such as {@code /v1/spins/{spinId}}; {@code action} is what the bearer token
 * must allow (null: a public route), {@code query} the query parameters it accepts.
 */
record Route(String method, String template, Action action, Set<String> query, Endpoint endpoint) {

    /**
     * The path variables, percent-decoded, when {@code path} (as received, still encoded) fits the template, else
     * null. Clients encode ids differently ({@code @} stays or becomes {@code %40}); both name the same user.
     */
    Map<String, String> match(String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                variables.put(want[i].substring(1, want[i].length() - 1), URIUtil.decodePath(got[i]));
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return variables;
    }
}
