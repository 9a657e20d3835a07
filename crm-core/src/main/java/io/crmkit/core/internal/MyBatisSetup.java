package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Crm;
import io.crmkit.core.spi.CrmModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.managed.ManagedTransactionFactory;
import org.apache.ibatis.type.TypeHandlerRegistry;

/**
 * Builds MyBatis in code, once per {@code Crm}: no XML configuration file. Connections are
 * handed to MyBatis already in a transaction ({@link CrmRuntime} owns commit and rollback), so
 * MyBatis uses a managed transaction factory that neither commits nor closes them.
 */
final class MyBatisSetup {
  private MyBatisSetup() {}

  /**
   * A factory with every module's mappers, whose SQL names {@code schema} (and, for platform work,
   * {@code ownerRole}); {@code dataSource} only satisfies MyBatis's environment.
   */
  static SqlSessionFactory create(DataSource dataSource, String schema, String ownerRole, List<CrmModule> modules) {
    Configuration configuration = new Configuration();
    Properties variables = new Properties();
    // Quoted, so a schema named like a keyword ("user") works in every statement.
    variables.setProperty("schema", SqlIdentifiers.quote(schema));
    variables.setProperty("owner_role", SqlIdentifiers.quote(ownerRole));
    configuration.setVariables(variables);

    ManagedTransactionFactory transactions = new ManagedTransactionFactory();
    Properties transactionProperties = new Properties();
    transactionProperties.setProperty("closeConnection", "false");
    transactions.setProperties(transactionProperties);
    configuration.setEnvironment(new Environment("crmkit", transactions, dataSource));

    configuration.setMapUnderscoreToCamelCase(true);
    // Statements in one transaction must see each other's writes, even through plain JDBC.
    configuration.setLocalCacheScope(LocalCacheScope.STATEMENT);
    configuration.setCacheEnabled(false);
    configuration.setDefaultStatementTimeout(60);

    TypeHandlerRegistry handlers = configuration.getTypeHandlerRegistry();
    handlers.register(UUID.class, new UuidTypeHandler());
    handlers.register(Instant.class, new InstantTypeHandler());
    handlers.register(JsonNode.class, new JsonbTypeHandler());
    // Every enum, of every module, is its lowercase name in the database.
    handlers.setDefaultEnumTypeHandler(LowercaseEnumTypeHandler.class);
    handlers.register(List.class, new TextArrayTypeHandler());
    configuration.getTypeAliasRegistry().registerAlias("jsonb", JsonbTypeHandler.class);
    // Parameters name it explicitly: MyBatis finds handlers by class, and an ArrayList is not a List to it.
    configuration.getTypeAliasRegistry().registerAlias("textArray", TextArrayTypeHandler.class);

    for (CrmModule module : modules) {
      for (Class<?> mapper : module.mappers()) {
        addMapper(configuration, mapper);
      }
    }
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  /**
   * Adds a mapper: its XML beside it (same package path), found with the mapper's own class
   * loader, binds the interface; a mapper without XML is added from its annotations alone.
   */
  private static void addMapper(Configuration configuration, Class<?> mapper) {
    String resource = mapper.getName().replace('.', '/') + ".xml";
    ClassLoader loader = mapper.getClassLoader();
    try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
      if (in != null) {
        new XMLMapperBuilder(in, configuration, resource, configuration.getSqlFragments()).parse();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!configuration.hasMapper(mapper)) {
      configuration.addMapper(mapper);
    }
  }
}
