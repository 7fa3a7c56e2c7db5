package io.ggen.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.marketplace.service.YankRequest;
import io.ggen.node.api.ApiServer;
import io.ggen.node.api.Json;
import java.util.List;

/**
 * The control API's request bodies, as {@code ApiServer} reads them and {@code NodeRoutes} binds
 * them to each route's request record. The contract: a body is refused only with an
 * {@link ApiServer.ApiError} of 400 or 413, and binding refuses only with a 400 {@link ApiServer.ApiError} or the
 * record's own rule ({@link InvalidRequestException}, a 400 naming the field); anything else
 * would reach the client as a 500.
 */
class ApiRequestsFuzzTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final List<Class<?>> REQUESTS = List.of(
            BootstrapRequest.class, PublishRequest.class, YankRequest.class, SearchRequest.class, NodeRoutes.FetchRequest.class);

    @FuzzTest
    void body(byte[] input) {
        JsonNode body;
        try {
            body = ApiServer.parseBody(JSON, input);
        } catch (ApiServer.ApiError refused) {
            assertThat(refused.status()).isIn(400, 413);
            return;
        }
        assertThat(body.isObject()).isTrue();
        for (Class<?> type : REQUESTS) {
            try {
                ApiServer.readRequest(JSON, body, type);
            } catch (ApiServer.ApiError refused) {
                assertThat(refused.status()).isEqualTo(400);
            } catch (InvalidRequestException refused) {
                assertThat(refused.kind()).isEqualTo(MarketplaceException.Kind.USAGE);
                assertThat(refused.getMessage()).doesNotContain("\n");
            }
        }
    }
}
