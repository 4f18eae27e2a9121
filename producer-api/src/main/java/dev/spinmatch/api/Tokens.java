package dev.spinmatch.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The bearer tokens of the calling services and what each may do, from {@code api.tokens}
 * ({@code tokenA:spin,cancel,end,read;tokenB:read}). Tokens are kept and looked up by their SHA-256,
 * so neither memory dumps nor lookup timing reveal them.
 */
final class Tokens {
    private static final String BEARER = "Bearer ";
    private final Map<String, Set<Action>> actionsByDigest;

    private Tokens(Map<String, Set<Action>> actionsByDigest) {
        this.actionsByDigest = Map.copyOf(actionsByDigest);
    }

    static Tokens parse(String spec) {
        Map<String, Set<Action>> byDigest = new HashMap<>();
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("api.tokens: expected token:action,... but got an entry without ':'");
            }
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (String action : entry.substring(colon + 1).split(",")) {
                actions.add(Action.parse(action));
            }
            byDigest.put(digest(entry.substring(0, colon).trim()), actions);
        }
        return new Tokens(byDigest);
    }

    /** Throws 401 for a missing or unknown token, 403 for a token not allowed {@code action}. */
    void authorize(String authorization, Action action) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("a bearer token is required (Authorization: Bearer <token>)");
        }
        Set<Action> allowed = actionsByDigest.get(digest(authorization.substring(BEARER.length()).trim()));
        if (allowed == null) {
            throw ApiException.unauthorized("unknown token");
        }
        if (!allowed.contains(action)) {
            throw ApiException.forbidden("this token may not " + action.wireName());
        }
    }

    private static String digest(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
