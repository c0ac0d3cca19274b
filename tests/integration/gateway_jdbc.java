// The PostgreSQL JDBC driver through the gateway: prepared statements (the
// extended protocol, server-prepared after a few executions), a denial
// with SQLSTATE 42501 that leaves the connection usable, a denial inside a
// transaction, batch inserts. Run by gateway_clients_test.sh.
// Also cancel and token login.
// Usage: java -cp postgresql.jar:. GatewayJdbc PORT TOKEN
import java.sql.*;
import java.util.Properties;

class GatewayJdbc {  // not public: the file is named like the other gateway tests
  static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  static Properties dbaProps() {
    Properties dba = new Properties();
    dba.setProperty("user", "dba");
    dba.setProperty("password", "dba-password");
    return dba;
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/sqlwarden_demo?sslmode=require&prepareThreshold=2";
    Properties props = new Properties();
    props.setProperty("user", "agent");
    props.setProperty("password", "agent-password");
    try (Connection c = DriverManager.getConnection(url, props)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {
        for (int i = 0; i < 5; i++) {  // from the third run on, a named server-side statement
          ps.setLong(1, 1);
          try (ResultSet rs = ps.executeQuery()) {
            check(rs.next(), "row");
            check(rs.getString(2).equals("a***@example.com"), "masked: " + rs.getString(2));
          }
          ps.setLong(1, 12);
          try (ResultSet rs = ps.executeQuery()) {
            check(!rs.next(), "other tenant filtered");
          }
        }
      }
      System.out.println("ok prepared statements, masked and filtered");

      try (Statement st = c.createStatement()) {
        try {
          st.execute("DROP TABLE users");
          throw new AssertionError("DROP not denied");
        } catch (SQLException e) {
          check("42501".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
        }
        try (ResultSet rs = st.executeQuery("SELECT 7")) {
          check(rs.next() && rs.getInt(1) == 7, "after denial");
        }
      }
      System.out.println("ok denial 42501, connection usable");

      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO staging.imports VALUES (?, 7, ?)")) {
        for (int i = 0; i < 3; i++) {
          ins.setInt(1, 1000 + i);
          ins.setString(2, "jdbc batch " + i);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      try (Statement st = c.createStatement()) {
        try {
          st.execute("DELETE FROM products");
          throw new AssertionError("DELETE not denied");
        } catch (SQLException e) {
          check("42501".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
        }
        try {
          st.executeQuery("SELECT 1");
          throw new AssertionError("transaction not aborted");
        } catch (SQLException e) {
          check("25P02".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
        }
      }
      c.rollback();
      c.setAutoCommit(true);
      try (Connection d = DriverManager.getConnection(url, dbaProps()); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM staging.imports WHERE id >= 1000")) {
        check(rs.next() && rs.getInt(1) == 0, "batch rolled back");
      }
      System.out.println("ok batch and denial inside a transaction");
    }
    // Cancel: Statement.cancel() sends a CancelRequest with the gateway's key.
    try (Connection d = DriverManager.getConnection(url, dbaProps()); Statement st = d.createStatement()) {
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(500);
          st.cancel();
        } catch (Exception ignored) {
        }
      });
      long started = System.nanoTime();
      canceller.start();
      try {
        st.execute("SELECT pg_sleep(10)");
        throw new AssertionError("not cancelled");
      } catch (SQLException e) {
        check("57014".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
      }
      canceller.join();
      check(System.nanoTime() - started < 8_000_000_000L, "cancel took effect");
      try (ResultSet rs = st.executeQuery("SELECT 1")) {
        check(rs.next(), "usable after cancel");
      }
    }
    System.out.println("ok cancel");

    // Token login: the OIDC token as the password; the identity is tenant 8's.
    Properties tok = new Properties();
    tok.setProperty("user", "claude");
    tok.setProperty("password", args[1]);
    try (Connection t = DriverManager.getConnection(url, tok);
         PreparedStatement ps = t.prepareStatement("SELECT email FROM users WHERE id = ?")) {
      ps.setLong(1, 11);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next() && rs.getString(1).equals("d***@example.com"), "token identity sees its tenant, masked");
      }
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        check(!rs.next(), "token identity does not see tenant 7");
      }
    }
    System.out.println("ok token login");

    props.setProperty("password", "wrong");
    try {
      DriverManager.getConnection(url, props).close();
      throw new AssertionError("wrong password accepted");
    } catch (SQLException e) {
      check("28P01".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
    }
    System.out.println("ok wrong password 28P01");
    System.out.println("jdbc: all passed");
  }
}
