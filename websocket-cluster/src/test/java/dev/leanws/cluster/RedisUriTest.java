package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisUriTest {

    @Test
    void theUsualForms() {
        assertEquals(new RedisUri(false, "127.0.0.1", 6379, null, null, 0), RedisUri.parse("redis://127.0.0.1"));
        assertEquals(new RedisUri(true, "redis.example", 6380, "app", "p@ss:word", 3),
                RedisUri.parse("rediss://app:p%40ss:word@redis.example:6380/3"));
        assertEquals(new RedisUri(false, "h", 6379, null, "secret", 0), RedisUri.parse("redis://:secret@h"));
        assertEquals(new RedisUri(false, "h", 6379, null, "secret", 0), RedisUri.parse("redis://secret@h/"),
                "no colon: a password for the default user, as the usual clients read it");
        assertEquals(new RedisUri(false, "::1", 7000, null, null, 0), RedisUri.parse("redis://[::1]:7000"));
    }

    @Test
    void badUrlsAreRefusedWithoutTheirPassword() {
        for (String bad : new String[] {"http://h", "redis://", "redis://h/x", "redis://h?db=1", "nonsense"}) {
            assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(bad), bad);
        }
        String message = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://u:hunter2@h/x")).getMessage();
        assertFalse(message.contains("hunter2"), message);
        assertEquals("redis://u:***@h:6379/2", RedisUri.parse("redis://u:hunter2@h/2").toString());
    }
}
